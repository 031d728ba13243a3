// Shared fixtures (copied from shared/fixtures) as raw text: signatures and 19-digit ids need exact bytes.
import fbeInstall from "../fixtures/fbe/fbe_install.json?raw";
import fbeUninstall from "../fixtures/fbe/fbe_uninstall.json?raw";
import manifestJson from "../fixtures/manifest.json?raw";
import graphLead from "../fixtures/meta/graph_lead_response.json?raw";
import leadgenTwoChanges from "../fixtures/meta/leadgen_webhook_two_changes.json?raw";
import leadGet from "../fixtures/tiktok/lead_get_response.json?raw";
import relayFlat from "../fixtures/tiktok/relay_flat_fields.json?raw";
import webhookBatch from "../fixtures/tiktok/subscription_webhook_batch.json?raw";
import webhookSingle from "../fixtures/tiktok/subscription_webhook_single.json?raw";
import waStatus from "../fixtures/whatsapp/status_update.json?raw";
import waText from "../fixtures/whatsapp/text_message.json?raw";

export const tiktokFixtures: Record<string, string> = {
	"tiktok/subscription_webhook_single.json": webhookSingle,
	"tiktok/subscription_webhook_batch.json": webhookBatch,
	"tiktok/lead_get_response.json": leadGet,
	"tiktok/relay_flat_fields.json": relayFlat,
};

/** Meta-app fixtures (Lead Ads, Business Extension, WhatsApp), raw bytes as signed. */
export const metaFixtures: Record<string, string> = {
	"meta/leadgen_webhook_two_changes.json": leadgenTwoChanges,
	"meta/graph_lead_response.json": graphLead,
	"fbe/fbe_install.json": fbeInstall,
	"fbe/fbe_uninstall.json": fbeUninstall,
	"whatsapp/text_message.json": waText,
	"whatsapp/status_update.json": waStatus,
};

/** A fixture's raw text; throws for a name that is not loaded. */
export function metaFixture(file: string): string {
	const text = metaFixtures[file];
	if (text === undefined) throw new Error(`fixture ${file} not loaded`);
	return text;
}

export interface ManifestLead {
	provider: string;
	external_lead_id: string;
	routing_key: { type: string; value: string } | null;
	form_id: string | null;
	full_name: string | null;
	phone_e164: string | null;
	email: string | null;
}

export interface ManifestFixture {
	file: string;
	provider: string;
	kind: string;
	http?: { headers?: Record<string, string> };
	expected_leads: (ManifestLead & { wa_user_id?: string; enrich_with?: string })[];
	expected_event?: Record<string, unknown>;
}

export interface VerificationVector {
	provider: string;
	description: string;
	request: { method: string; query: Record<string, string> };
	configured_verify_token: string;
	expected: { status: number; content_type?: string; body?: string };
}

export const manifest = JSON.parse(manifestJson) as {
	fixtures: ManifestFixture[];
	conventions: { signatures: { tiktok: { app_secret: string }; meta: { app_secret: string } } };
	verification_vectors: VerificationVector[];
};

export const tiktokManifest = manifest.fixtures.filter((f) => f.provider === "tiktok");

export const metaManifest = manifest.fixtures.filter((f) =>
	["meta", "fbe", "whatsapp"].includes(f.provider),
);

/** What tiktok/subscription_webhook_single.json's entry names: its lead's stored attribution. */
export const SINGLE_WEBHOOK_ATTRIBUTION = {
	form_name: "Autumn Consultation Form",
	campaign_id: "1842093710293847",
	campaign_name: "Leads - Autumn 2026",
	ad_set_id: "1842093710355512",
	ad_set_name: "UAE 25-45",
	ad_id: "1842093710411876",
	ad_name: "Video A - Whitening",
};
