// Config parsing: blanks are unset, malformed values name their key and never echo the value.
import { describe, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("loadConfig", () => {
	it("treats blank vars as unset and applies defaults", ({ expect }) => {
		const config = loadConfig({
			TIKTOK_LEADGEN_COMPANY_ID: "",
			TIKTOK_LEADGEN_ADVERTISER_MAPPING: " ",
			TIKTOK_APP_SECRET: "",
		});
		expect(config).toEqual({
			tiktok: { appSecret: undefined, companyId: undefined, advertiserMapping: {} },
			meta: {
				appSecret: undefined,
				verifyToken: undefined,
				appId: undefined,
				pageAccessToken: undefined,
				graphVersion: "v25.0",
			},
			adminToken: undefined,
			encryptionKey: undefined,
			salesforce: { apiVersion: "v66.0", defaultConnection: undefined, allowLoopbackHttp: false },
			maxBodyBytes: 3_000_000,
			bigDeliveries: { leadsPerChunk: 50, chunksPerCron: 1 },
			webhooks: { signingKey: undefined, publicBaseUrl: undefined },
			forms: { thankYouUrl: undefined, honeypotField: "website", maxBodyBytes: 100_000 },
			payloadRetentionDays: 90,
			health: { intervalMinutes: 60, silenceHours: 24, tiktokAppId: undefined },
			alerts: { webhookUrl: undefined, format: "slack", repeatHours: 6 },
			console: { sessionHours: 12, sessionSecret: undefined, access: undefined },
			notify: {
				resendApiKey: undefined,
				emailFrom: undefined,
				defaults: { slaMinutes: 15, escalateAfter: 2, reminderHours: 24 },
				linkHours: 72,
			},
		});
	});

	it("reads the notification knobs and refuses an SLA longer than a week", ({ expect }) => {
		const config = loadConfig({
			RESEND_API_KEY: "re_123",
			NOTIFY_EMAIL_FROM: "Leads <leads@example.com>",
			NOTIFY_SLA_MINUTES: "0",
			NOTIFY_REMINDER_HOURS: "48",
		});
		expect(config.notify).toMatchObject({
			resendApiKey: "re_123",
			emailFrom: "Leads <leads@example.com>",
			defaults: { slaMinutes: 0, escalateAfter: 2, reminderHours: 48 },
		});
		expect(() => loadConfig({ NOTIFY_SLA_MINUTES: "20000" })).toThrow(
			new ConfigError(["NOTIFY_SLA_MINUTES"]),
		);
	});

	it("reads the console settings: Access only with both team domain and AUD", ({ expect }) => {
		const both = loadConfig({
			CF_ACCESS_TEAM_DOMAIN: "https://acme.cloudflareaccess.com/",
			CF_ACCESS_AUD: "aud-tag",
			CONSOLE_SESSION_HOURS: "8",
			SALESFORCE_ALLOW_LOOPBACK_HTTP: "true",
		});
		expect(both.console).toEqual({
			sessionHours: 8,
			sessionSecret: undefined,
			access: { teamDomain: "acme.cloudflareaccess.com", aud: "aud-tag" },
		});
		expect(both.salesforce.allowLoopbackHttp).toBe(true);
		expect(loadConfig({ CF_ACCESS_TEAM_DOMAIN: "acme.cloudflareaccess.com" }).console.access).toBe(
			undefined,
		);
		expect(() =>
			loadConfig({
				CONSOLE_SESSION_HOURS: "forever",
				CF_ACCESS_TEAM_DOMAIN: "not a host",
				SALESFORCE_ALLOW_LOOPBACK_HTTP: "yes",
			}),
		).toThrow(
			"invalid configuration: SALESFORCE_ALLOW_LOOPBACK_HTTP, CONSOLE_SESSION_HOURS, CF_ACCESS_TEAM_DOMAIN",
		);
	});

	it("reads the health and alert settings and refuses a malformed webhook URL", ({ expect }) => {
		const config = loadConfig({
			HEALTH_CHECK_INTERVAL_MINUTES: "15",
			SILENCE_HOURS: "12",
			ALERT_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/x",
			ALERT_FORMAT: "json",
			ALERT_REPEAT_HOURS: "2",
		});
		expect(config.health).toMatchObject({ intervalMinutes: 15, silenceHours: 12 });
		expect(config.alerts).toEqual({
			webhookUrl: "https://hooks.slack.com/services/T0/B0/x",
			format: "json",
			repeatHours: 2,
		});
		expect(loadConfig({ HEALTH_CHECK_INTERVAL_MINUTES: "0" }).health.intervalMinutes).toBe(0);
		expect(() => loadConfig({ HEALTH_CHECK_INTERVAL_MINUTES: "3" })).toThrow(
			"invalid configuration: HEALTH_CHECK_INTERVAL_MINUTES",
		);
		expect(() => loadConfig({ ALERT_WEBHOOK_URL: "not a url", ALERT_FORMAT: "xml" })).toThrow(
			"invalid configuration: ALERT_WEBHOOK_URL, ALERT_FORMAT",
		);
	});

	it("reads the big-delivery knobs: 0 turns chunking off, a negative or fractional value is refused", ({
		expect,
	}) => {
		const config = loadConfig({ BIG_DELIVERY_LEADS: "200", BIG_DELIVERY_CHUNKS_PER_CRON: "5" });
		expect(config.bigDeliveries).toEqual({ leadsPerChunk: 200, chunksPerCron: 5 });
		expect(loadConfig({ BIG_DELIVERY_LEADS: "0" }).bigDeliveries.leadsPerChunk).toBe(0);
		expect(() =>
			loadConfig({ BIG_DELIVERY_LEADS: "-1", BIG_DELIVERY_CHUNKS_PER_CRON: "0.5" }),
		).toThrow("invalid configuration: BIG_DELIVERY_LEADS, BIG_DELIVERY_CHUNKS_PER_CRON");
	});

	it("reads the mapping with string or number company ids", ({ expect }) => {
		const config = loadConfig({
			TIKTOK_LEADGEN_ADVERTISER_MAPPING: '{"7398120456712340987":"4","1":5}',
			TIKTOK_LEADGEN_COMPANY_ID: "2",
		});
		expect(config.tiktok).toMatchObject({
			companyId: 2,
			advertiserMapping: { "7398120456712340987": 4, "1": 5 },
		});
	});

	it("names every malformed key without its value", ({ expect }) => {
		const secretLooking = '{"adv": "not-a-number-secret"}';
		let error: unknown;
		try {
			loadConfig({
				TIKTOK_LEADGEN_ADVERTISER_MAPPING: secretLooking,
				MAX_BODY_BYTES: "lots",
				ENCRYPTION_KEY: "not-a-key-secret",
			});
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).message).toBe(
			"invalid configuration: TIKTOK_LEADGEN_ADVERTISER_MAPPING, ENCRYPTION_KEY, MAX_BODY_BYTES",
		);
		expect((error as ConfigError).message).not.toContain("not-a-key-secret");
		expect((error as ConfigError).message).not.toContain("not-a-number-secret");
	});
});
