// A company's destinations as the operator adds, edits, tests and switches them off (API and console,
// through the kind's own zod schemas): URLs through the outbound guard, secrets sealed on the way in
// and never read back out (a webhook's generated signing secret is shown once, in the save's answer).
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { notFound } from "../errors";
import type { DestinationCheck } from "../forwarders/destination";
import { destinationKind, openDestinationRow } from "../forwarders/destination-kinds";
import { checkOutboundUrl } from "../security/outbound-url";
import { secretBox } from "../security/secret-box";
import { newWebhookSecret } from "../security/standard-webhooks";
import { companyExists } from "../storage/companies";
import {
	type DestinationRow,
	getDestination,
	putDestination,
	setDestinationState,
} from "../storage/destinations";
import { SALESFORCE_DESTINATION } from "../storage/forwards";
import { fieldError } from "./actions";
import type { OperatorContext } from "./context";
import { testConnection } from "./salesforce";

/** PUT /api/admin/companies/:id/destinations/:kind: the kind's settings and (new) secrets. */
export const destinationBody = z.strictObject({
	settings: z.record(z.string(), z.unknown()),
	secrets: z.record(z.string(), z.unknown()).optional(),
});
export type DestinationBody = z.infer<typeof destinationBody>;

/** Kinds whose secret Leadwire makes itself when the operator gives none (shown once). */
const GENERATED_SECRETS: Record<string, () => Record<string, string>> = {
	webhook: () => ({ signing_secret: newWebhookSecret() }),
};

export interface SavedDestination {
	row: DestinationRow;
	created: boolean;
	/** Secrets Leadwire generated for this save, shown this once. */
	generatedSecrets?: Record<string, string>;
}

/** Creates or replaces (and switches back on) a company's destination of a kind. */
export async function saveDestination(
	ctx: OperatorContext,
	companyId: number,
	kindName: string,
	body: DestinationBody,
): Promise<SavedDestination> {
	const kind = knownKind(kindName);
	if (!(await companyExists(ctx.db, companyId))) throw notFound("company", companyId);
	const settings = parseOrThrow(kind.settings, body.settings, "settings");
	guardUrls(ctx, settings);
	const existing = await getDestination(ctx.db, companyId, kindName);
	let secrets = body.secrets;
	const generate = GENERATED_SECRETS[kindName];
	let generatedSecrets: Record<string, string> | undefined;
	if (secrets === undefined && !existing?.secretsSealed && generate) {
		generatedSecrets = generate();
		secrets = generatedSecrets;
	}
	if (secrets === undefined && !existing?.secretsSealed) {
		parseOrThrow(kind.secrets, {}, "secrets");
	}
	const secretsSealed =
		secrets === undefined
			? undefined
			: await secretBox(ctx.config.encryptionKey).seal(
					JSON.stringify(parseOrThrow(kind.secrets, secrets, "secrets")),
				);
	const saved = await putDestination(ctx.db, companyId, kindName, {
		settings: settings as Record<string, unknown>,
		secretsSealed,
	});
	return { ...saved, ...(generatedSecrets ? { generatedSecrets } : {}) };
}

/** Switches a destination off: no new forwards, and its waiting ones are not sent until it is saved. */
export async function switchOffDestination(
	ctx: OperatorContext,
	companyId: number,
	kindName: string,
): Promise<DestinationRow> {
	const row = await destinationOrNotFound(ctx, companyId, kindName);
	const off = await setDestinationState(ctx.db, row.id, "off", "switched off by an operator", {
		onlyFromOn: false,
	});
	return off ?? row;
}

/** "Test": the kind's check() now (a Salesforce destination runs its token grant). */
export async function testDestination(
	ctx: OperatorContext,
	companyId: number,
	kindName: string,
): Promise<DestinationCheck> {
	const row = await destinationOrNotFound(ctx, companyId, kindName);
	if (row.kind === SALESFORCE_DESTINATION) {
		const test = await testConnection(ctx, companyId);
		return test.ok
			? { ok: true, detail: test.message }
			: { ok: false, code: "SALESFORCE_TEST_FAILED", detail: test.message };
	}
	const opened = await openDestinationRow(
		row,
		{ config: ctx.config, fetch: (input, init) => fetch(input, init) },
		secretBox(ctx.config.encryptionKey),
	);
	if (!opened.ok)
		return { ok: false, code: opened.code, detail: `cannot be opened: ${opened.code}` };
	return opened.destination.check();
}

async function destinationOrNotFound(
	ctx: OperatorContext,
	companyId: number,
	kindName: string,
): Promise<DestinationRow> {
	const row = await getDestination(ctx.db, companyId, kindName);
	if (!row) {
		throw new HTTPException(404, {
			message: `company ${companyId} has no ${kindName} destination`,
		});
	}
	return row;
}

function knownKind(kindName: string) {
	if (kindName === SALESFORCE_DESTINATION) {
		throw new HTTPException(400, {
			message: "a Salesforce destination is set with PUT /api/admin/companies/:id/salesforce",
		});
	}
	const kind = destinationKind(kindName);
	if (!kind) throw new HTTPException(404, { message: `no destination kind ${kindName}` });
	return kind;
}

/** Parses with the kind's schema; a 400 whose issues sit under `settings.` or `secrets.`. */
function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, under: string): T {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw new HTTPException(400, {
		message: "invalid request",
		cause: {
			issues: parsed.error.issues.map((issue) => ({ ...issue, path: [under, ...issue.path] })),
		},
	});
}

/**
 * Every URL setting (url, base_url...) through the outbound guard with this deployment's loopback
 * allowance (SALESFORCE_ALLOW_LOOPBACK_HTTP): the schemas let http://127.0.0.1 through to here.
 */
function guardUrls(ctx: OperatorContext, settings: unknown): void {
	if (typeof settings !== "object" || settings === null) return;
	for (const [key, value] of Object.entries(settings)) {
		if (!/(^|_)url$/.test(key) || typeof value !== "string") continue;
		const check = checkOutboundUrl(value, {
			allowLoopbackHttp: ctx.config.salesforce.allowLoopbackHttp,
		});
		if (!check.ok) {
			const loopback = checkOutboundUrl(value, { allowLoopbackHttp: true }).ok;
			const message = loopback
				? `${check.reason} (http://127.0.0.1 needs SALESFORCE_ALLOW_LOOPBACK_HTTP=true, local only)`
				: check.reason;
			throw fieldError(["settings", key], message);
		}
	}
}
