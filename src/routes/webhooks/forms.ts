// POST /api/integrations/webhooks/forms/ — website forms (JSON, urlencoded, multipart).
// Thin: size limit → fields (adapter) → honeypot → upsert → 200 JSON, or 303 to the thank-you page
// for a browser; 400 when the submission cannot be stored as a client (kept in a failure log).
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { deliverDeps, dispatchForwards, forwardingPolicy } from "../../forwarders/deliver";
import type { AppEnv } from "../../http/app-env";
import { FORMS_PROFILE, ingestFormSubmission } from "../../intake/forms";
import { recordDeliveryLog } from "../../intake/ingest";
import { readCompanyId } from "../../leads/company-id";
import type { LeadAnswer } from "../../leads/lead";
import { notifyDeps, notifyInBackground } from "../../notifiers/deliver";
import {
	type FormBody,
	fieldsFromFormBody,
	fieldsFromJson,
	formPayload,
	parseFormFields,
} from "../../providers/webform";
import { isJsonContentType, limitBody } from "./request-guards";
import { requireSignedCompanyUrl } from "./signed-url-guard";

type FormContext = Context<AppEnv>;

export const formRoutes = new Hono<AppEnv>().post(
	"/",
	requireSignedCompanyUrl(FORMS_PROFILE),
	limitBody(FORMS_PROFILE, (config) => config.forms.maxBodyBytes),
	async (c) => {
		const config = c.get("config");
		const db = c.get("db");
		const requestId = c.get("requestId");
		const fields = await readFields(c);
		const parsed = parseFormFields(fields, config.forms.honeypotField);
		if (parsed.kind === "ignored") {
			await record(c, { status: "ignored", message: parsed.reason, payload: null });
			return answer(c, "ignored");
		}
		const companyParam = c.req.query("company_id");
		const idempotencyKey = c.req.header("Idempotency-Key")?.trim() || undefined;
		const key = idempotencyKey ?? (parsed.kind === "lead" ? parsed.lead.submissionId : undefined);
		// What replay needs: the fields as received, the URL's company and the key.
		const payload = formPayload({
			company_id: companyParam ?? null,
			idempotency_key: key ?? null,
			fields,
		});
		const company = readCompanyId(companyParam);
		if (parsed.kind === "invalid" || !company.ok) {
			const reason = parsed.kind === "invalid" ? parsed.reason : "invalid company_id";
			await record(c, { status: "failure", message: reason, payload });
			throw reject(reason);
		}

		const result = await ingestFormSubmission(db, {
			receiptId: requestId,
			companyId: company.value,
			idempotencyKey: key,
			lead: parsed.lead,
			now: new Date(),
			payload,
			forwarding: forwardingPolicy(config),
		});
		const fieldsOfLog = { provider: FORMS_PROFILE.provider, action: FORMS_PROFILE.action };
		if (result.outcome === "failure") {
			c.get("log").info("delivery recorded", {
				...fieldsOfLog,
				outcome: "failure",
				reason: result.reason,
			});
			throw reject(result.reason);
		}
		if (result.outcome === "created") {
			notifyInBackground(c.executionCtx, notifyDeps(c.env, config, c.get("log")), [
				result.clientId,
			]);
		}
		if (result.outcome === "created" && result.forwarded) {
			await dispatchForwards(c.executionCtx, deliverDeps(c.env, config, c.get("log")), [
				result.clientId,
			]);
		}
		c.get("log").info("delivery recorded", {
			...fieldsOfLog,
			outcome: result.outcome,
			companyId: result.companyId,
			clientId: result.clientId ?? undefined,
		});
		return answer(c, result.outcome);
	},
);

/** The submission's fields by content type; an unreadable body is a logged 400. */
async function readFields(c: FormContext): Promise<LeadAnswer[]> {
	const contentType = c.req.header("Content-Type") ?? "";
	const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (mediaType === "application/x-www-form-urlencoded" || mediaType === "multipart/form-data") {
		const body = await c.req.parseBody({ all: true }).catch(() => undefined);
		if (body) return fieldsFromFormBody(body as FormBody);
		const reason = "could not parse payload: malformed form body";
		await record(c, { status: "failure", message: reason, payload: null });
		throw reject(reason);
	}
	const text = await c.req.text();
	if (!isJsonContentType(contentType)) {
		const reason = `unsupported content type ${mediaType}`;
		await record(c, { status: "failure", message: reason, payload: null });
		throw reject(reason);
	}
	const fields = fieldsFromJson(text);
	if (fields.ok) return fields.fields;
	const reason = `could not parse payload: ${fields.reason}`;
	await record(c, { status: "failure", message: reason, payload: text });
	throw reject(reason);
}

function record(
	c: FormContext,
	log: { status: "failure" | "ignored"; message: string; payload: string | null },
) {
	c.get("log").info("delivery recorded", {
		provider: FORMS_PROFILE.provider,
		action: FORMS_PROFILE.action,
		outcome: log.status,
		reason: log.message,
	});
	const deps = { db: c.get("db"), kv: c.env.DEDUPE };
	// The URL's company_id (trusted: the signed-URL guard ran) is what a replay routes to.
	const company = readCompanyId(c.req.query("company_id"));
	const cause = log.status === "failure" ? "invalid" : undefined;
	const row = { companyId: null, externalId: null, ...log, cause } as const;
	const urlCompanyId = company.ok ? company.value : undefined;
	return recordDeliveryLog(deps, FORMS_PROFILE, c.get("requestId"), row, urlCompanyId);
}

function reject(reason: string): HTTPException {
	return new HTTPException(400, { message: reason });
}

/** A browser asking for HTML goes to the thank-you page; scripts get JSON. */
function answer(c: FormContext, outcome: string): Response {
	const thankYou = c.get("config").forms.thankYouUrl;
	const accept = c.req.header("Accept") ?? "";
	if (thankYou !== undefined && accept.includes("text/html")) return c.redirect(thankYou, 303);
	return c.json({ ok: true, requestId: c.get("requestId"), outcome });
}
