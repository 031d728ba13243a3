// Vars and secrets parsed once per Worker isolate with zod into a typed Config.
// A malformed value fails with a message naming the key, never echoing its value.
import { z } from "zod";
import { isEncryptionKey } from "./security/secret-box";

const blankAsUndefined = (value: unknown) =>
	typeof value === "string" && value.trim() === "" ? undefined : value;

const optionalSecret = z.preprocess(blankAsUndefined, z.string().optional());
const companyId = z.coerce.number().int().positive();

const advertiserMapping = z.preprocess(
	(value) => {
		const text = blankAsUndefined(value);
		if (typeof text !== "string") return {};
		try {
			return JSON.parse(text);
		} catch {
			return text; // not JSON: the record schema below reports it
		}
	},
	z.record(z.string(), companyId),
);

/** Spring '26: supported by every org in late 2026 (providers.md §6.5). */
export const DEFAULT_SALESFORCE_API_VERSION = "v66.0";

export const salesforceApiVersion = z.string().regex(/^v\d{2,3}\.0$/, "must look like v66.0");

/**
 * Production (login.salesforce.com), sandbox (test.salesforce.com) or a My Domain
 * (*.my.salesforce.com, *.sandbox.my.salesforce.com). Only https Salesforce hosts: the relay posts
 * consumer secrets there, so an arbitrary URL would be a way to exfiltrate them.
 */
export const salesforceLoginUrl = z
	.url({ protocol: /^https$/, hostname: /^([a-z0-9-]+\.)*(login|test|my)\.salesforce\.com$/i })
	.transform((url) => url.replace(/\/+$/, ""));

/**
 * A plain-http login URL on this machine (127.0.0.1 or localhost, any port): accepted only when
 * SALESFORCE_ALLOW_LOOPBACK_HTTP is true, for a local fake org in development and browser tests.
 */
export const loopbackLoginUrl = z
	.url({ protocol: /^http$/, hostname: /^(127\.0\.0\.1|localhost)$/ })
	.transform((url) => url.replace(/\/+$/, ""));

export function isLoopbackUrl(url: string): boolean {
	return loopbackLoginUrl.safeParse(url).success;
}

const flag = z.preprocess(blankAsUndefined, z.enum(["true", "false"]).default("false"));

/** A Cloudflare Access team domain, e.g. "acme.cloudflareaccess.com" (an https:// prefix is dropped). */
const accessTeamDomain = z
	.string()
	.transform((text) =>
		text
			.trim()
			.replace(/^https:\/\//, "")
			.replace(/\/+$/, ""),
	)
	.pipe(
		z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, "a host name like acme.cloudflareaccess.com"),
	);

/**
 * Leads per chunk of a big delivery: measured at about 5 ms of workerd CPU for 50 TikTok leads
 * (bench/RESULTS.md), half the Workers Free plan's 10 ms per invocation.
 */
export const DEFAULT_BIG_DELIVERY_LEADS = 50;

const envSchema = z.object({
	TIKTOK_APP_SECRET: optionalSecret,
	ADMIN_TOKEN: optionalSecret,
	TIKTOK_LEADGEN_COMPANY_ID: z.preprocess(blankAsUndefined, companyId.optional()),
	TIKTOK_LEADGEN_ADVERTISER_MAPPING: advertiserMapping,
	ENCRYPTION_KEY: z.preprocess(
		blankAsUndefined,
		z.string().refine(isEncryptionKey, "must be 32 bytes, base64").optional(),
	),
	SALESFORCE_LOGIN_URL: z.preprocess(blankAsUndefined, salesforceLoginUrl.optional()),
	SALESFORCE_CONSUMER_KEY: optionalSecret,
	SALESFORCE_CONSUMER_SECRET: optionalSecret,
	SALESFORCE_REFRESH_TOKEN: optionalSecret,
	SALESFORCE_API_VERSION: z.preprocess(
		blankAsUndefined,
		salesforceApiVersion.default(DEFAULT_SALESFORCE_API_VERSION),
	),
	SALESFORCE_OBJECT: z.preprocess(blankAsUndefined, z.enum(["Lead", "Case"]).default("Lead")),
	MAX_BODY_BYTES: z.preprocess(
		blankAsUndefined,
		z.coerce.number().int().positive().default(3_000_000),
	),
	BIG_DELIVERY_LEADS: z.preprocess(
		blankAsUndefined,
		z.coerce.number().int().min(0).default(DEFAULT_BIG_DELIVERY_LEADS),
	),
	BIG_DELIVERY_CHUNKS_PER_CRON: z.preprocess(
		blankAsUndefined,
		z.coerce.number().int().positive().max(100).default(1),
	),
	META_APP_SECRET: optionalSecret,
	META_VERIFY_TOKEN: optionalSecret,
	META_APP_ID: optionalSecret,
	META_PAGE_ACCESS_TOKEN: optionalSecret,
	META_GRAPH_VERSION: z.preprocess(
		blankAsUndefined,
		z
			.string()
			.regex(/^v\d+\.\d+$/, "a Graph version such as v25.0")
			.default("v25.0"),
	),
	WEBHOOK_SIGNING_KEY: optionalSecret,
	PUBLIC_BASE_URL: z.preprocess(
		blankAsUndefined,
		z
			.url({ protocol: /^https?$/ })
			.transform((url) => url.replace(/\/+$/, ""))
			.optional(),
	),
	FORMS_THANK_YOU_URL: z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
	FORMS_HONEYPOT_FIELD: z.preprocess(blankAsUndefined, z.string().max(100).default("website")),
	FORMS_MAX_BODY_BYTES: z.preprocess(
		blankAsUndefined,
		z.coerce.number().int().positive().default(100_000),
	),
	PAYLOAD_RETENTION_DAYS: z.preprocess(
		blankAsUndefined,
		z.coerce.number().int().positive().default(90),
	),
	SALESFORCE_ALLOW_LOOPBACK_HTTP: flag,
	CONSOLE_SESSION_HOURS: z.preprocess(
		blankAsUndefined,
		z.coerce
			.number()
			.positive()
			.max(24 * 30)
			.default(12),
	),
	CONSOLE_SESSION_SECRET: optionalSecret,
	CF_ACCESS_TEAM_DOMAIN: z.preprocess(blankAsUndefined, accessTeamDomain.optional()),
	CF_ACCESS_AUD: optionalSecret,
	TIKTOK_APP_ID: optionalSecret,
	HEALTH_CHECK_INTERVAL_MINUTES: z.preprocess(
		blankAsUndefined,
		z.coerce
			.number()
			.int()
			.refine((minutes) => minutes === 0 || minutes >= 5, "0 (off) or at least 5")
			.default(60),
	),
	SILENCE_HOURS: z.preprocess(blankAsUndefined, z.coerce.number().int().positive().default(24)),
	ALERT_WEBHOOK_URL: z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
	ALERT_FORMAT: z.preprocess(blankAsUndefined, z.enum(["slack", "json"]).default("slack")),
	ALERT_REPEAT_HOURS: z.preprocess(blankAsUndefined, z.coerce.number().int().positive().default(6)),
	RESEND_API_KEY: optionalSecret,
	NOTIFY_EMAIL_FROM: z.preprocess(blankAsUndefined, z.string().max(320).optional()),
	NOTIFY_SLA_MINUTES: z.preprocess(
		blankAsUndefined,
		z.coerce
			.number()
			.int()
			.min(0)
			.max(7 * 24 * 60)
			.default(15),
	),
	NOTIFY_ESCALATE_AFTER: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).default(2)),
	NOTIFY_REMINDER_HOURS: z.preprocess(
		blankAsUndefined,
		z.coerce
			.number()
			.int()
			.min(0)
			.max(24 * 30)
			.default(24),
	),
	NOTIFY_LINK_HOURS: z.preprocess(
		blankAsUndefined,
		z.coerce
			.number()
			.int()
			.positive()
			.max(24 * 30)
			.default(72),
	),
});

export interface Config {
	tiktok: {
		/** Verifies X-Open-Signature when set; unsigned deliveries are accepted when not. */
		appSecret: string | undefined;
		/** One company gets every TikTok lead (last in the routing order). */
		companyId: number | undefined;
		/** advertiser_id → company id (third in the routing order). */
		advertiserMapping: Record<string, number>;
	};
	meta: {
		/** Verifies X-Hub-Signature-256 on every Meta POST; unset → every POST is refused (401). */
		appSecret: string | undefined;
		/** Answers Meta's GET handshake; unset → every handshake is refused (403). */
		verifyToken: string | undefined;
		/** With appSecret, lets FBE User tokens be exchanged for system-user tokens. */
		appId: string | undefined;
		/** Last-resort Page access token for Graph lead reads. */
		pageAccessToken: string | undefined;
		/** Graph API version of every call, e.g. "v25.0". */
		graphVersion: string;
	};
	adminToken: string | undefined;
	/** AES-GCM key (base64, 32 bytes) sealing tokens and secrets stored in D1; see security/secret-box. */
	encryptionKey: string | undefined;
	salesforce: {
		/** API version for connections that do not name one. */
		apiVersion: string;
		/** Single-tenant default connection from secrets; set when key, secret and refresh token are. */
		defaultConnection: DefaultSalesforceConnection | undefined;
		/** Local development only: connections may use http://127.0.0.1 or http://localhost. */
		allowLoopbackHttp: boolean;
	};
	maxBodyBytes: number;
	/**
	 * Deliveries holding more leads than `leadsPerChunk` are stored, answered, and ingested in chunks
	 * of that many from the LEAD_CHUNKS queue (or the cron); 0 ingests every delivery at once.
	 */
	bigDeliveries: {
		leadsPerChunk: number;
		/** Chunks the cron ingests per run (all of a run shares one invocation's CPU). */
		chunksPerCron: number;
	};
	webhooks: {
		/** Signs `company_id` in webhook URLs (`sig`); unsigned URLs are refused when set. */
		signingKey: string | undefined;
		/** Origin the operator API puts in ready-to-paste URLs; else the request's own origin. */
		publicBaseUrl: string | undefined;
	};
	forms: {
		/** Where a browser (Accept: text/html) is sent after a submission; JSON answers when unset. */
		thankYouUrl: string | undefined;
		/** A field hidden from people: when filled, the submission is a bot's and is dropped. */
		honeypotField: string;
		/** Largest form body accepted; larger gets 413. */
		maxBodyBytes: number;
	};
	/** Raw payloads in integration_logs older than this many days are cleared by the cron. */
	payloadRetentionDays: number;
	console: {
		/** How long a console sign-in lasts. */
		sessionHours: number;
		/** Mixed into the session signing key: changing it signs every operator out. */
		sessionSecret: string | undefined;
		/** Cloudflare Access sign-in, when both the team domain and the application AUD are set. */
		access: { teamDomain: string; aud: string } | undefined;
	};
	health: {
		/** The cron runs the health checks when this many minutes have passed since the last run; 0: never. */
		intervalMinutes: number;
		/** A regular lead flow with no lead for this many hours is reported as silent. */
		silenceHours: number;
		/** TikTok app id: with TIKTOK_APP_SECRET it lets the LEAD subscription be checked. */
		tiktokAppId: string | undefined;
	};
	alerts: {
		/** Slack-compatible incoming webhook (or any JSON endpoint); no alerts are queued when unset. */
		webhookUrl: string | undefined;
		/** "slack": `{text, blocks}`; "json": `{source, alerts: [...]}`. */
		format: "slack" | "json";
		/** The same problem is alerted at most once per this many hours. */
		repeatHours: number;
	};
	notify: {
		/** Resend API key (secret): email channels fail as `not_configured` without it. */
		resendApiKey: string | undefined;
		/** The From of notification emails, e.g. "Leadwire <leads@example.com>" (a Resend-verified domain). */
		emailFrom: string | undefined;
		/** A company's rules take these when an operator leaves a value out (0: off). */
		defaults: { slaMinutes: number; escalateAfter: number; reminderHours: number };
		/** How long a one-click link in a notification works. */
		linkHours: number;
	};
}

export interface DefaultSalesforceConnection {
	loginUrl: string;
	consumerKey: string;
	consumerSecret: string;
	refreshToken: string;
	targetObject: "Lead" | "Case";
}

/** Thrown when a var or secret is malformed; names the keys, never the values. */
export class ConfigError extends Error {
	constructor(readonly keys: string[]) {
		super(`invalid configuration: ${keys.join(", ")}`);
		this.name = "ConfigError";
	}
}

const cache = new WeakMap<object, Config>();

/** Parses env into Config, caching per env object (one per isolate in production). */
export function loadConfig(env: object): Config {
	const cached = cache.get(env);
	if (cached) return cached;
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError([...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))]);
	}
	const vars = parsed.data;
	const config: Config = {
		tiktok: {
			appSecret: vars.TIKTOK_APP_SECRET,
			companyId: vars.TIKTOK_LEADGEN_COMPANY_ID,
			advertiserMapping: vars.TIKTOK_LEADGEN_ADVERTISER_MAPPING,
		},
		meta: {
			appSecret: vars.META_APP_SECRET,
			verifyToken: vars.META_VERIFY_TOKEN,
			appId: vars.META_APP_ID,
			pageAccessToken: vars.META_PAGE_ACCESS_TOKEN,
			graphVersion: vars.META_GRAPH_VERSION,
		},
		adminToken: vars.ADMIN_TOKEN,
		encryptionKey: vars.ENCRYPTION_KEY,
		salesforce: {
			apiVersion: vars.SALESFORCE_API_VERSION,
			defaultConnection: defaultSalesforceConnection(vars),
			allowLoopbackHttp: vars.SALESFORCE_ALLOW_LOOPBACK_HTTP === "true",
		},
		maxBodyBytes: vars.MAX_BODY_BYTES,
		bigDeliveries: {
			leadsPerChunk: vars.BIG_DELIVERY_LEADS,
			chunksPerCron: vars.BIG_DELIVERY_CHUNKS_PER_CRON,
		},
		webhooks: { signingKey: vars.WEBHOOK_SIGNING_KEY, publicBaseUrl: vars.PUBLIC_BASE_URL },
		forms: {
			thankYouUrl: vars.FORMS_THANK_YOU_URL,
			honeypotField: vars.FORMS_HONEYPOT_FIELD,
			maxBodyBytes: vars.FORMS_MAX_BODY_BYTES,
		},
		payloadRetentionDays: vars.PAYLOAD_RETENTION_DAYS,
		console: {
			sessionHours: vars.CONSOLE_SESSION_HOURS,
			sessionSecret: vars.CONSOLE_SESSION_SECRET,
			access:
				vars.CF_ACCESS_TEAM_DOMAIN && vars.CF_ACCESS_AUD
					? { teamDomain: vars.CF_ACCESS_TEAM_DOMAIN, aud: vars.CF_ACCESS_AUD }
					: undefined,
		},
		health: {
			intervalMinutes: vars.HEALTH_CHECK_INTERVAL_MINUTES,
			silenceHours: vars.SILENCE_HOURS,
			tiktokAppId: vars.TIKTOK_APP_ID,
		},
		alerts: {
			webhookUrl: vars.ALERT_WEBHOOK_URL,
			format: vars.ALERT_FORMAT,
			repeatHours: vars.ALERT_REPEAT_HOURS,
		},
		notify: {
			resendApiKey: vars.RESEND_API_KEY,
			emailFrom: vars.NOTIFY_EMAIL_FROM,
			defaults: {
				slaMinutes: vars.NOTIFY_SLA_MINUTES,
				escalateAfter: vars.NOTIFY_ESCALATE_AFTER,
				reminderHours: vars.NOTIFY_REMINDER_HOURS,
			},
			linkHours: vars.NOTIFY_LINK_HOURS,
		},
	};
	cache.set(env, config);
	return config;
}

function defaultSalesforceConnection(
	vars: z.infer<typeof envSchema>,
): DefaultSalesforceConnection | undefined {
	const consumerKey = vars.SALESFORCE_CONSUMER_KEY;
	const consumerSecret = vars.SALESFORCE_CONSUMER_SECRET;
	const refreshToken = vars.SALESFORCE_REFRESH_TOKEN;
	if (!consumerKey || !consumerSecret || !refreshToken) return undefined;
	return {
		loginUrl: vars.SALESFORCE_LOGIN_URL ?? "https://login.salesforce.com",
		consumerKey,
		consumerSecret,
		refreshToken,
		targetObject: vars.SALESFORCE_OBJECT,
	};
}
