// The signed webhook destination: each lead POSTed as JSON (schema leadwire.lead.v1, docs/destinations.md)
// to the operator's HTTPS URL, signed per Standard Webhooks with a webhook-id stable per forward, so a
// retry is recognisably the same message. 2xx delivered, 410 switches the destination off, else retried.
import { z } from "zod";
import { parseRetryAfter } from "../backoff";
import { checkOutboundUrl } from "../security/outbound-url";
import { isWebhookSecret, standardWebhookHeaders } from "../security/standard-webhooks";
import { timedCall } from "../timed-call";
import type {
	DestinationDeps,
	DestinationKind,
	DestinationLead,
	DestinationRecord,
	OpenDestination,
} from "./destination";
import type { RecordResult, SendResult } from "./forwarder";
import { isMappableField, mapLeadFields } from "./salesforce-mapping";

export const WEBHOOK_SCHEMA = "leadwire.lead.v1";
/** Records one send takes; they are POSTed at once, so a batch lasts one call's timeout at most. */
const WEBHOOK_BATCH = 10;
/** A receiver should answer fast and work later (the spec's advice); a slow one is retried. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The URL as the schema checks it: https to a public host, or http://127.0.0.1 (the operator layer
 * refuses that one unless the deployment allows loopback, so the answer names the same field).
 */
const webhookUrl = z
	.string()
	.trim()
	.max(2048)
	.superRefine((url, ctx) => {
		const check = checkOutboundUrl(url, { allowLoopbackHttp: true });
		if (!check.ok) ctx.addIssue({ code: "custom", message: check.reason });
	});

export const webhookSettings = z.strictObject({
	url: webhookUrl,
	/** Extra `data.fields` entries: output name → lead field (full_name, email, answer:<question>...). */
	field_mapping: z
		.record(
			z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, "letters, digits, _ . - only"),
			z
				.string()
				.refine(isMappableField, "a lead field (full_name, email, phone, ...) or answer:<question>")
				.nullable(),
		)
		.default({}),
});
export type WebhookSettings = z.infer<typeof webhookSettings>;

export const webhookSecrets = z.strictObject({
	signing_secret: z
		.string()
		.trim()
		.refine(isWebhookSecret, "a Standard Webhooks secret: whsec_ and base64 of ≥ 24 bytes"),
});
export type WebhookSecrets = z.infer<typeof webhookSecrets>;

/** The message id a forward's every attempt carries (receivers dedupe on it). */
export function webhookMessageId(forwardId: number): string {
	return `msg_leadwire_forward_${forwardId}`;
}

/** The versioned JSON body of one lead (docs/destinations.md "Webhook body"). */
export function webhookBody(lead: DestinationLead, mapping: WebhookSettings["field_mapping"]) {
	return {
		type: "lead.created",
		schema: WEBHOOK_SCHEMA,
		timestamp: lead.createdAt,
		data: {
			lead_id: lead.clientId,
			company_id: lead.companyId,
			company_name: lead.companyName,
			source: lead.source,
			external_id: lead.externalId,
			form_id: lead.formId,
			full_name: lead.fullName,
			email: lead.email,
			phone: lead.phone,
			invalid_phone: lead.invalidPhone,
			answers: lead.answers,
			attribution: lead.attribution,
			rep: lead.repEmail || lead.repName ? { name: lead.repName, email: lead.repEmail } : null,
			is_test: lead.isTest,
			created_at: lead.createdAt,
			fields: mapLeadFields(lead, mapping),
		},
	};
}

export const webhookKind: DestinationKind<WebhookSettings, WebhookSecrets> = {
	kind: "webhook",
	settings: webhookSettings,
	secrets: webhookSecrets,
	open: (settings, secrets, deps) => openWebhook(settings, secrets, deps),
};

function openWebhook(
	settings: WebhookSettings,
	secrets: WebhookSecrets,
	deps: DestinationDeps,
): OpenDestination {
	const post = (id: string, body: string) => postSigned(settings.url, secrets, deps, id, body);
	return {
		maxBatch: WEBHOOK_BATCH,
		async send(records) {
			const guard = checkOutboundUrl(settings.url, { allowLoopbackHttp: deps.allowLoopbackHttp });
			if (!guard.ok) {
				return { kind: "connection", problem: "misconfigured", code: "URL_REFUSED", ...NO_CALL };
			}
			const started = Date.now();
			const calls = await Promise.all(records.map((record) => sendOne(post, settings, record)));
			return combine(calls, Date.now() - started);
		},
		async check() {
			const guard = checkOutboundUrl(settings.url, { allowLoopbackHttp: deps.allowLoopbackHttp });
			if (!guard.ok) return { ok: false, code: "URL_REFUSED", detail: `URL ${guard.reason}` };
			// A ping event: Standard Webhooks receivers ignore types they do not handle.
			const ping = JSON.stringify({
				type: "leadwire.ping",
				schema: WEBHOOK_SCHEMA,
				timestamp: deps.now().toISOString(),
				data: {},
			});
			const call = await post(`msg_leadwire_ping_${crypto.randomUUID()}`, ping);
			if (call.status === null) return { ok: false, code: call.code, detail: call.code };
			if (call.status >= 200 && call.status < 300)
				return { ok: true, detail: `answered ${call.status} in ${call.durationMs} ms` };
			return {
				ok: false,
				code: `HTTP_${call.status}`,
				detail: `answered ${call.status} to a signed ping`,
			};
		},
	};
}

const NO_CALL = { httpStatus: null, durationMs: 0 } as const;

interface Posted {
	/** null for a network error or timeout. */
	status: number | null;
	code: string;
	durationMs: number;
	retryAfterSeconds?: number;
	remoteId: string | null;
}

async function postSigned(
	url: string,
	secrets: WebhookSecrets,
	deps: DestinationDeps,
	id: string,
	body: string,
): Promise<Posted> {
	const now = deps.now();
	const signed = await standardWebhookHeaders(secrets.signing_secret, {
		id,
		timestampSeconds: now.getTime() / 1000,
		body,
	});
	const outcome = await timedCall(
		deps.fetch,
		url,
		{
			method: "POST",
			headers: { "Content-Type": "application/json", "User-Agent": "Leadwire", ...signed },
			body,
			redirect: "manual",
		},
		WEBHOOK_TIMEOUT_MS,
	);
	if (!outcome.ok)
		return { status: null, code: outcome.code, durationMs: outcome.durationMs, remoteId: null };
	const { response } = outcome;
	const text = await response.text().catch(() => "");
	return {
		status: response.status,
		code: `HTTP_${response.status}`,
		durationMs: outcome.durationMs,
		retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After"), now),
		remoteId: response.ok ? remoteIdOf(text) : null,
	};
}

/** A receiver that answers JSON with a string `id` names its record; kept as the forward's remote id. */
function remoteIdOf(text: string): string | null {
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed === "object" && parsed !== null && "id" in parsed) {
			const id = (parsed as { id: unknown }).id;
			return typeof id === "string" || typeof id === "number" ? String(id).slice(0, 200) : null;
		}
	} catch {
		// Not JSON: delivered all the same.
	}
	return null;
}

async function sendOne(
	post: (id: string, body: string) => Promise<Posted>,
	settings: WebhookSettings,
	record: DestinationRecord,
): Promise<Posted> {
	const body = JSON.stringify(webhookBody(record.lead, settings.field_mapping));
	return post(webhookMessageId(record.forwardId), body);
}

function resultOf(call: Posted): RecordResult {
	if (call.status !== null && call.status >= 200 && call.status < 300)
		return { kind: "sent", remoteId: call.remoteId };
	return call.retryAfterSeconds === undefined
		? { kind: "transient", code: call.code }
		: { kind: "transient", code: call.code, retryAfterSeconds: call.retryAfterSeconds };
}

/**
 * One result per record; a 410 Gone from any of them switches the whole destination off (the
 * receiver said it wants nothing more). Records of that batch that were delivered are sent again
 * if an operator switches it back on: their webhook-id is the same, so the receiver drops them.
 */
function combine(calls: Posted[], durationMs: number): SendResult {
	const last = calls.at(-1);
	const httpStatus = calls.find((c) => c.status === 410)?.status ?? last?.status ?? null;
	if (calls.some((c) => c.status === 410))
		return {
			kind: "connection",
			problem: "switched_off",
			code: "HTTP_410",
			httpStatus,
			durationMs,
		};
	return { kind: "results", results: calls.map(resultOf), httpStatus, durationMs };
}
