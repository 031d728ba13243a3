// Payloads indented for the console without parsing them: ids stay exactly as received, strings are
// never touched, and text that is not JSON comes back as it was.
import { describe, it } from "vitest";
import { prettyJson } from "../../src/console/pretty-json";

describe("prettyJson", () => {
	it("indents objects and arrays, keeping 19-digit ids and strings exactly", ({ expect }) => {
		const raw =
			'{"entry":[{"id":7563218845012600001,"note":"a, b: {c}","q":"say \\"hi\\""}],"e":[],"o":{}}';

		expect(prettyJson(raw)).toBe(
			[
				"{",
				'  "entry": [',
				"    {",
				'      "id": 7563218845012600001,',
				'      "note": "a, b: {c}",',
				'      "q": "say \\"hi\\""',
				"    }",
				"  ],",
				'  "e": [],',
				'  "o": {}',
				"}",
			].join("\n"),
		);
	});

	it("leaves text that is not JSON, and JSON cut inside a string, as it was", ({ expect }) => {
		expect(prettyJson("name=Maya&phone=050")).toBe("name=Maya&phone=050");
		expect(prettyJson('{"cut":"abc')).toBe('{"cut":"abc');
	});
});
