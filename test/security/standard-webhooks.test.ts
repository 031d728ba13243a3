// Standard Webhooks signing: the spec's own example vector, fresh secrets, and the header shape.
import { describe, it } from "vitest";
import {
	isWebhookSecret,
	newWebhookSecret,
	standardWebhookHeaders,
} from "../../src/security/standard-webhooks";

describe("standardWebhookHeaders", () => {
	it("signs the example message from the Standard Webhooks specification", async ({ expect }) => {
		// The example in the spec's README and its reference libraries' tests.
		const headers = await standardWebhookHeaders("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", {
			id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
			timestampSeconds: 1614265330,
			body: '{"test": 2432232314}',
		});
		expect(headers).toEqual({
			"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
			"webhook-timestamp": "1614265330",
			"webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		});
	});

	it("makes new secrets of the spec's form, each different", ({ expect }) => {
		const first = newWebhookSecret();
		expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		expect(isWebhookSecret(first)).toBe(true);
		expect(newWebhookSecret()).not.toBe(first);
		expect(isWebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBe(false);
		expect(isWebhookSecret("whsec_c2hvcnQ=")).toBe(false);
		expect(isWebhookSecret("whsec_not base64!")).toBe(false);
	});
});
