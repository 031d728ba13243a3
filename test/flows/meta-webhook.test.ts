// The Meta callback URL through the Worker: GET handshake, signature gate (nothing stored on 401),
// unknown objects and fields acknowledged as `ignored`, malformed bodies kept, 503 when D1 is down.
import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { unavailableD1 } from "../support/d1-wrappers";
import { count, logRows, rejectionCount } from "../support/factories";
import { manifest, metaFixture } from "../support/fixtures";
import { fetchWithEnv, META_PATH, metaInit, postMeta } from "../support/requests";

function handshakeUrl(query: Record<string, string>, path = META_PATH): string {
	return `https://relay.test${path}?${new URLSearchParams(query)}`;
}

describe("GET handshake", () => {
	for (const vector of manifest.verification_vectors.filter((v) => v.provider === "meta")) {
		it(vector.description, async ({ expect }) => {
			const response = await exports.default.fetch(handshakeUrl(vector.request.query));
			expect(response.status).toBe(vector.expected.status);
			if (vector.expected.status === 200) {
				expect(response.headers.get("Content-Type")).toContain(vector.expected.content_type);
				// The echoed challenge is caller-chosen text: a browser must not sniff it as HTML.
				expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
				expect(await response.text()).toBe(vector.expected.body);
			}
		});
	}

	it("answers without the trailing slash and with ?company_id too", async ({ expect }) => {
		const query = {
			"hub.mode": "subscribe",
			"hub.challenge": "42",
			"hub.verify_token": "fixture-verify-token",
		};
		const bare = await exports.default.fetch(handshakeUrl(query, META_PATH.slice(0, -1)));
		const company = await exports.default.fetch(handshakeUrl({ ...query, company_id: "3" }));
		expect([bare.status, await bare.text()]).toEqual([200, "42"]);
		expect([company.status, await company.text()]).toEqual([200, "42"]);
	});

	it("refuses a handshake when META_VERIFY_TOKEN is not set", async ({ expect }) => {
		const query = { "hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": "" };
		const response = await fetchWithEnv(
			{ META_VERIFY_TOKEN: "" },
			`${META_PATH}?${new URLSearchParams(query)}`,
			{},
		);
		expect(response.status).toBe(403);
	});
});

describe("POST signature", () => {
	const body = metaFixture("meta/leadgen_webhook_two_changes.json");

	it("answers 401 and stores only counters (and one sample log per reason) for a forged, missing or prefix-less signature", async ({
		expect,
	}) => {
		const forged = `sha256=${"ab".repeat(32)}`;
		const good = (await metaInit(body)).headers as Record<string, string>;
		const bareHex = good["X-Hub-Signature-256"]?.slice("sha256=".length);
		for (const signature of [forged, null, bareHex]) {
			const response = await postMeta(body, { signature });
			expect(response.status, String(signature)).toBe(401);
		}
		const tampered = body.replace("1023456789012345", "1023456789012346");
		const response = await postMeta(tampered, { signature: good["X-Hub-Signature-256"] });
		expect(response.status).toBe(401);
		expect(await rejectionCount("meta", "invalid signature")).toBe(3);
		expect(await rejectionCount("meta", "missing signature")).toBe(1);
		expect((await logRows()).map((log) => [log.message?.split(" (")[0], log.payload])).toEqual([
			["invalid signature", null],
			["missing signature", null],
		]);
		expect(await count("clients")).toBe(0);
	});

	it("answers 401 to every POST when META_APP_SECRET is not set", async ({ expect }) => {
		const response = await fetchWithEnv({ META_APP_SECRET: "" }, META_PATH, await metaInit(body));
		expect(response.status).toBe(401);
	});
});

describe("POST dispatch", () => {
	it("acknowledges unknown objects and fields and logs them ignored", async ({ expect }) => {
		const body = JSON.stringify({
			object: "page",
			entry: [
				{ id: "1", time: 1, changes: [{ field: "feed", value: { item: "status" } }] },
				{ id: "2", time: 1, changes: [{ field: "feed", value: { item: "comment" } }] },
			],
		});
		const other = `{"object":"instagram","entry":[{"id":"3","changes":[{"field":"comments","value":{"id":"c"}}]}]}`;
		const before = await count("integration_logs");
		const first = await postMeta(body);
		const second = await postMeta(other);
		expect(first.status).toBe(200);
		expect(await first.json()).toMatchObject({ received: 2, ignored: 2 });
		expect(second.status).toBe(200);
		const logs = (await logRows()).slice(before);
		expect(logs.map((l) => [l.provider, l.action, l.status, l.message, l.payload])).toEqual([
			["meta", "meta_webhook", "ignored", "page/feed is not handled", null],
			["meta", "meta_webhook", "ignored", "page/feed is not handled", null],
			["meta", "meta_webhook", "ignored", "instagram/comments is not handled", null],
		]);
	});

	it("loops over every entry × change, up to 1000 in one POST", async ({ expect }) => {
		const before = await count("integration_logs");
		const entries = Array.from({ length: 10 }, (_, e) => ({
			id: String(e),
			time: 1,
			changes: Array.from({ length: 100 }, (_, i) => ({ field: "feed", value: { i } })),
		}));
		const response = await postMeta(JSON.stringify({ object: "page", entry: entries }));
		expect(await response.json()).toMatchObject({ received: 1000, ignored: 1000 });
		expect((await count("integration_logs")) - before).toBe(1000);
	});

	it("keeps an authentic but unparseable body as a failure with its payload", async ({
		expect,
	}) => {
		const response = await postMeta(`{"object": "page", "entry": 7}`);
		expect(response.status).toBe(200);
		const [log] = (await logRows()).filter((l) => l.payload !== null);
		expect(log).toMatchObject({
			message: "could not parse payload: entry is not a list",
			payload: `{"object": "page", "entry": 7}`,
		});
	});

	it("answers 503 when D1 cannot record the delivery", async ({ expect }) => {
		const body = `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{}}]}]}`;
		const response = await fetchWithEnv({ DB: unavailableD1() }, META_PATH, await metaInit(body));
		expect(response.status).toBe(503);
	});
});
