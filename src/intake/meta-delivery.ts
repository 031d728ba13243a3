// Records one verified Meta delivery: every change goes to its handler (Lead Ads, Business Extension,
// WhatsApp); ignored and malformed changes are logged. Resolves only once everything is durably in
// D1; outbound work (Graph reads, token exchanges) is returned for waitUntil, never run here.
import type { Config } from "../config";
import type { Logger } from "../log";
import type { MetaChange } from "../providers/meta";
import type { Db } from "../storage/db";
import { type LogRow, writeReceipt } from "../storage/receipts";

export const META_WEBHOOK_ACTION = "meta_webhook";

export interface MetaDeliveryDeps {
	db: Db;
	kv: KVNamespace;
	config: Config;
	/** Outbound HTTP for the after-answer work (Graph); never called while recording. */
	fetch: typeof fetch;
	log: Logger;
}

export interface MetaDeliveryContext {
	receiptId: string;
	/** `?company_id` of the callback URL, trusted (the signed-URL guard ran); kept on the logs. */
	queryCompanyId: number | undefined;
}

/** One line of the tail log per change (ids and outcome only). */
export interface MetaOutcome {
	provider: string;
	action: string;
	outcome: "created" | "recorded" | "duplicate" | "failure" | "ignored";
	leadId?: string;
	companyId?: number;
	clientId?: number;
	reason?: string;
}

export interface HandlerResult {
	outcomes: MetaOutcome[];
	/** Work to run after the answer (Graph reads, token exchanges). */
	afterAnswer: (() => Promise<unknown>)[];
}

export type ChangeHandler<K extends MetaChange["kind"]> = (
	deps: MetaDeliveryDeps,
	context: MetaDeliveryContext,
	changes: Extract<MetaChange, { kind: K }>[],
) => Promise<HandlerResult>;

export interface MetaHandlers {
	leadgen?: ChangeHandler<"leadgen">;
	whatsapp?: ChangeHandler<"whatsapp">;
	fbe_install?: ChangeHandler<"fbe_install">;
}

/** Runs each kind's handler in turn; a storage failure anywhere throws (→ 503, Meta redelivers). */
export async function recordMetaDelivery(
	deps: MetaDeliveryDeps,
	context: MetaDeliveryContext,
	changes: MetaChange[],
	handlers: MetaHandlers,
): Promise<HandlerResult> {
	const result: HandlerResult = { outcomes: [], afterAnswer: [] };
	const merge = (part: HandlerResult) => {
		result.outcomes.push(...part.outcomes);
		result.afterAnswer.push(...part.afterAnswer);
	};
	const leadgen = changes.filter((c) => c.kind === "leadgen");
	const whatsapp = changes.filter((c) => c.kind === "whatsapp");
	const installs = changes.filter((c) => c.kind === "fbe_install");
	// Installs first: a delivery may carry an install and leads for the Pages it connects.
	if (installs.length > 0 && handlers.fbe_install) {
		merge(await handlers.fbe_install(deps, context, installs));
	}
	if (leadgen.length > 0 && handlers.leadgen) merge(await handlers.leadgen(deps, context, leadgen));
	if (whatsapp.length > 0 && handlers.whatsapp) {
		merge(await handlers.whatsapp(deps, context, whatsapp));
	}
	const unhandled = changes.filter(
		(c) =>
			c.kind === "ignored" ||
			c.kind === "reject" ||
			(c.kind === "leadgen" && !handlers.leadgen) ||
			(c.kind === "whatsapp" && !handlers.whatsapp) ||
			(c.kind === "fbe_install" && !handlers.fbe_install),
	);
	merge(await recordUnhandled(deps, context, unhandled));
	return result;
}

/** Ignored changes (e.g. page/feed) are logged without payload; malformed ones keep theirs. */
async function recordUnhandled(
	deps: MetaDeliveryDeps,
	context: MetaDeliveryContext,
	changes: MetaChange[],
): Promise<HandlerResult> {
	if (changes.length === 0) return { outcomes: [], afterAnswer: [] };
	const logs: LogRow[] = [];
	const outcomes: MetaOutcome[] = [];
	for (const change of changes) {
		const reject = change.kind === "reject";
		const reason = reject
			? `could not parse payload: ${change.reason}`
			: change.kind === "ignored"
				? change.reason
				: `${change.object}/${change.field} is not handled`;
		const status = reject ? "failure" : "ignored";
		logs.push({
			companyId: null,
			status,
			message: reason,
			externalId: null,
			payload: reject ? change.payload() : null,
			...(reject ? { cause: "unparseable" as const } : {}),
		});
		outcomes.push({ provider: "meta", action: META_WEBHOOK_ACTION, outcome: status, reason });
	}
	await writeReceipt(deps.db, {
		receiptId: context.receiptId,
		provider: "meta",
		source: "meta",
		action: META_WEBHOOK_ACTION,
		groups: [],
		logs,
		urlCompanyId: context.queryCompanyId,
	});
	return { outcomes, afterAnswer: [] };
}
