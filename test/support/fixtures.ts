// Shared fixtures (copied from shared/fixtures) as raw text: signatures and 19-digit ids need exact bytes.
import manifestJson from "../fixtures/manifest.json?raw";
import leadGet from "../fixtures/tiktok/lead_get_response.json?raw";
import relayFlat from "../fixtures/tiktok/relay_flat_fields.json?raw";
import webhookBatch from "../fixtures/tiktok/subscription_webhook_batch.json?raw";
import webhookSingle from "../fixtures/tiktok/subscription_webhook_single.json?raw";

export const tiktokFixtures: Record<string, string> = {
	"tiktok/subscription_webhook_single.json": webhookSingle,
	"tiktok/subscription_webhook_batch.json": webhookBatch,
	"tiktok/lead_get_response.json": leadGet,
	"tiktok/relay_flat_fields.json": relayFlat,
};

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
	expected_leads: ManifestLead[];
}

export const manifest = JSON.parse(manifestJson) as {
	fixtures: ManifestFixture[];
	conventions: { signatures: { tiktok: { app_secret: string } } };
};

export const tiktokManifest = manifest.fixtures.filter((f) => f.provider === "tiktok");
