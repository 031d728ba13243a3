// Lossless JSON: integers beyond 2^53 come back as their exact digits, everything else as JSON.parse gives it.
import { describe, it } from "vitest";
import { parseJsonLossless } from "../../src/providers/json";

function parsedValue(text: string) {
	const parsed = parseJsonLossless(text);
	if (!parsed.ok) throw new Error(`expected JSON, got ${parsed.reason}`);
	return parsed.value;
}

describe("parseJsonLossless", () => {
	it("keeps TikTok's 19-digit ids exact, as strings, wherever they are nested", ({ expect }) => {
		const text =
			'{"object":1,"entry":[{"id":7563000000000000001,"ids":[-7398120456712340987,12],"n":{"x":9007199254740993}}]}';
		expect(parsedValue(text)).toEqual({
			object: 1,
			entry: [
				{
					id: "7563000000000000001",
					ids: ["-7398120456712340987", 12],
					n: { x: "9007199254740993" },
				},
			],
		});
	});

	it("leaves safe integers of 16 digits as numbers, and 2^53 itself as digits", ({ expect }) => {
		expect(parsedValue("[1842093710293847, 9007199254740991, 9007199254740992]")).toEqual([
			1842093710293847,
			9007199254740991,
			"9007199254740992",
		]);
	});

	it("never touches digits inside strings, keys or escaped quotes", ({ expect }) => {
		const text =
			'{"7563000000000000001":"7563000000000000002","q":"say \\"7563000000000000003\\" \\\\","n":7563000000000000004}';
		expect(parsedValue(text)).toEqual({
			"7563000000000000001": "7563000000000000002",
			q: 'say "7563000000000000003" \\',
			n: "7563000000000000004",
		});
	});

	it("leaves long fractions and exponents to JSON.parse (they are not ids)", ({ expect }) => {
		expect(
			parsedValue(
				"[1234567890123456789.5, 0.12345678901234567, 1e12345678901234567, 2E-1234567890123456]",
			),
		).toEqual([
			Number("1234567890123456789.5"),
			Number("0.12345678901234567"),
			Number.POSITIVE_INFINITY,
			0,
		]);
	});

	it("answers malformed text as such, also when it holds long digit runs", ({ expect }) => {
		expect(parseJsonLossless('{"id":7563000000000000001')).toEqual({
			ok: false,
			reason: "malformed JSON",
		});
		expect(parseJsonLossless(`"${'\\"'.repeat(50_000)}`)).toEqual({
			ok: false,
			reason: "malformed JSON",
		});
		expect(parseJsonLossless("")).toEqual({ ok: false, reason: "malformed JSON" });
	});

	it("parses texts without a long digit run exactly as JSON.parse does", ({ expect }) => {
		const text = '{"a":[1,2.5,-3,true,null,"x"],"b":{"c":"d"}}';
		expect(parsedValue(text)).toEqual(JSON.parse(text));
	});
});
