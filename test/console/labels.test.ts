// Operator words for machine values: every destination's forward action reads as its product's name.
import { describe, it } from "vitest";
import { actionLabel, providerLabel } from "../../src/console/labels";

describe("console labels", () => {
	it("names each destination kind's forward receipts and the providers in operator words", ({
		expect,
	}) => {
		expect(
			["salesforce_forward", "hubspot_forward", "twenty_forward", "webhook_forward"].map(
				actionLabel,
			),
		).toEqual(["Salesforce forward", "HubSpot forward", "Twenty forward", "Webhook forward"]);
		expect(["tiktok", "meta", "whatsapp", "webform"].map(providerLabel)).toEqual([
			"TikTok",
			"Meta",
			"WhatsApp",
			"Website form",
		]);
	});
});
