// Checks every webhook route makes before parsing: body size (413), content type, ?company_id.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Config } from "../../config";
import type { AppEnv } from "../../http/app-env";
import { recordDeliveryLog } from "../../intake/ingest";
import { readCompanyId } from "../../leads/company-id";
import type { DeliveryKind } from "../../leads/lead";
import { StorageRefusedError } from "../../storage/db";

/**
 * 413 for bodies over MAX_BODY_BYTES (hono/body-limit: by Content-Length when sent, which Workers
 * enforce on the body, else by counting the stream).
 * The refusal is logged in D1 without the body, so operators see why a delivery left no client.
 */
export function limitBody(
	profile: DeliveryKind,
	maxBytes: (config: Config) => number = (config) => config.maxBodyBytes,
): MiddlewareHandler<AppEnv> {
	return async (c, next) =>
		bodyLimit({
			maxSize: maxBytes(c.get("config")),
			onError: async (ctx) => {
				const message = `payload larger than ${maxBytes(ctx.get("config"))} bytes`;
				ctx.get("log").warn("delivery rejected", {
					provider: profile.provider,
					action: profile.action,
					outcome: "failure",
					reason: "payload too large",
				});
				const log = {
					companyId: null,
					status: "failure" as const,
					message,
					externalId: null,
					payload: null,
				};
				await recordDeliveryLog({ db: ctx.get("db") }, profile, ctx.get("requestId"), log).catch(
					() => undefined,
				);
				throw new HTTPException(413, { message });
			},
		})(c, next);
}

/** JSON bodies are sometimes sent as text/plain by relays; forms and multipart are not leads. */
export function isJsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return true;
	const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
	return type === "application/json" || type === "text/plain" || type.endsWith("+json");
}

/** A JSON webhook body as the route sees it: text kept for the failure log, `?company_id` read. */
export interface JsonWebhook<T> {
	text: string;
	queryCompanyId: number | undefined;
	delivery: T | { kind: "invalid"; reason: string };
}

/** Content type and `?company_id` are checked before the provider's parser sees the body. */
export function readJsonWebhook<T>(
	c: Context<AppEnv>,
	body: Uint8Array,
	parse: (text: string) => T,
): JsonWebhook<T> {
	const text = new TextDecoder().decode(body);
	const companyParam = readCompanyId(c.req.query("company_id"));
	const contentType = c.req.header("Content-Type");
	const delivery = !isJsonContentType(contentType)
		? { kind: "invalid" as const, reason: `unsupported content type ${contentType}` }
		: !companyParam.ok
			? { kind: "invalid" as const, reason: companyParam.reason }
			: parse(text);
	return { text, queryCompanyId: companyParam.ok ? companyParam.value : undefined, delivery };
}

/**
 * Runs the recording of a delivery; when D1 refuses it for good (StorageRefusedError: a row over its
 * limits that the cuts did not catch) the delivery is still recorded, as a failure without its
 * payload, and answered 200 so the provider stops retrying what can never be stored.
 */
export async function recordOrRefused(
	c: Context<AppEnv>,
	profile: DeliveryKind,
	queryCompanyId: number | undefined,
	record: () => Promise<Response>,
): Promise<Response> {
	try {
		return await record();
	} catch (error) {
		if (!(error instanceof StorageRefusedError)) throw error;
		const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
		const reason = `storage refused the delivery (${cause.slice(0, 200)}); payload not kept`;
		const row = { companyId: null, status: "failure" as const, message: reason };
		await recordDeliveryLog(
			{ db: c.get("db") },
			profile,
			c.get("requestId"),
			{ ...row, externalId: null, payload: null },
			queryCompanyId,
		);
		c.get("log").error("delivery refused by storage", {
			provider: profile.provider,
			action: profile.action,
			outcome: "failure",
			reason: "storage refused the delivery",
		});
		return c.json({ ok: true, requestId: c.get("requestId"), outcome: "failure", reason });
	}
}
