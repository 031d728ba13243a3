// Tests run inside workerd against real local D1 and KV (@cloudflare/vitest-plugin).
// Test secrets are bindings here, so CI needs no .dev.vars; outbound HTTP that escapes a fake fails loudly.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";
import {
	TEST_ADMIN_TOKEN,
	TEST_ENCRYPTION_KEY,
	TEST_META_APP_SECRET,
	TEST_META_VERIFY_TOKEN,
	TEST_TIKTOK_APP_SECRET,
} from "./test/support/secrets.ts";

export default defineConfig(async () => ({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			miniflare: {
				// vitest itself imports node:* modules inside workerd; the Worker does not need the flag.
				compatibilityFlags: ["nodejs_compat"],
				// An empty D1 of its own for test/storage/migrations.test.ts (old schema → new migration).
				d1Databases: ["MIGRATION_DB"],
				bindings: {
					TEST_MIGRATIONS: await readD1Migrations("./migrations"),
					TIKTOK_APP_SECRET: TEST_TIKTOK_APP_SECRET,
					ADMIN_TOKEN: TEST_ADMIN_TOKEN,
					ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
					// Pinned so a developer's .dev.vars (which the plugin reads) cannot change the tests.
					TIKTOK_LEADGEN_COMPANY_ID: "",
					TIKTOK_LEADGEN_ADVERTISER_MAPPING: "",
					MAX_BODY_BYTES: "3000000",
					BIG_DELIVERY_LEADS: "50",
					BIG_DELIVERY_CHUNKS_PER_CRON: "1",
					SALESFORCE_LOGIN_URL: "",
					SALESFORCE_CONSUMER_KEY: "",
					SALESFORCE_CONSUMER_SECRET: "",
					SALESFORCE_REFRESH_TOKEN: "",
					SALESFORCE_API_VERSION: "",
					SALESFORCE_OBJECT: "",
					META_APP_SECRET: TEST_META_APP_SECRET,
					META_VERIFY_TOKEN: TEST_META_VERIFY_TOKEN,
					META_GRAPH_VERSION: "v25.0",
					META_APP_ID: "",
					META_PAGE_ACCESS_TOKEN: "",
					// Signed URLs are off unless a test passes a key through fetchWithEnv.
					WEBHOOK_SIGNING_KEY: "",
					PUBLIC_BASE_URL: "",
					PAYLOAD_RETENTION_DAYS: "90",
					// Scheduled health checks are off, so other tests' cron runs make no extra provider calls;
					// the health tests switch them on (test/support/health.ts ALERTS_ON).
					HEALTH_CHECK_INTERVAL_MINUTES: "0",
					SILENCE_HOURS: "24",
					// Alerts are off unless a test passes a URL through its env (test/support/health.ts).
					ALERT_WEBHOOK_URL: "",
					ALERT_FORMAT: "slack",
					ALERT_REPEAT_HOURS: "6",
					TIKTOK_APP_ID: "",
					FORMS_THANK_YOU_URL: "",
					FORMS_HONEYPOT_FIELD: "website",
					FORMS_MAX_BODY_BYTES: "100000",
					SALESFORCE_ALLOW_LOOPBACK_HTTP: "",
					CONSOLE_SESSION_HOURS: "12",
					CONSOLE_SESSION_SECRET: "",
					CF_ACCESS_TEAM_DOMAIN: "",
					CF_ACCESS_AUD: "",
					RESEND_API_KEY: "",
					NOTIFY_EMAIL_FROM: "",
					NOTIFY_SLA_MINUTES: "15",
					NOTIFY_ESCALATE_AFTER: "2",
					NOTIFY_REMINDER_HOURS: "24",
					NOTIFY_LINK_HOURS: "72",
				},
				outboundService: (request: Request) =>
					new Response(`test tried to reach the network: ${request.method} ${request.url}`, {
						status: 599,
					}),
			},
		}),
	],
	test: {
		// test/scripts/ holds Node tests of the npm scripts (npm run test:scripts), and test/browser/
		// drives a running relay from Node (vitest.browser.config.ts): neither are Worker tests.
		exclude: [...configDefaults.exclude, "test/scripts/**", "test/browser/**"],
		setupFiles: ["./test/setup/apply-migrations.ts", "./test/setup/restore-mocks.ts"],
	},
}));
