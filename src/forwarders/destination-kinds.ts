// The destination kinds a company can add beside Salesforce, by name, and how a stored destination
// row is opened for sending (settings parsed, secrets unsealed). Adding a kind is its adapter file
// (a DestinationKind with its settings and secrets schemas), one line in KINDS and one test file.
import type { Config } from "../config";
import type { SecretBox } from "../security/secret-box";
import type { DestinationRow } from "../storage/destinations";
import type { Fetch } from "../timed-call";
import type { DestinationKind, OpenDestination } from "./destination";
import { hubspotDestination } from "./hubspot";
import { twentyDestination } from "./twenty";
import { webhookKind } from "./webhook";

const KINDS: Record<string, DestinationKind<unknown, unknown>> = {
	hubspot: hubspotDestination,
	twenty: twentyDestination,
	webhook: webhookKind,
};

/** The kinds an operator can add through /api/admin/companies/:id/destinations/:kind. */
export const DESTINATION_KINDS = Object.keys(KINDS);

export function destinationKind(name: string): DestinationKind<unknown, unknown> | undefined {
	return Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
}

export type OpenedRow =
	| { ok: true; destination: OpenDestination }
	/** Why the row cannot be sent with: an unknown kind, settings or secrets its schema refuses. */
	| { ok: false; code: string };

/** Opens a stored destination: its settings and unsealed secrets through the kind's schemas. */
export async function openDestinationRow(
	row: DestinationRow,
	deps: { config: Config; fetch: Fetch; now?: () => Date },
	box: SecretBox,
): Promise<OpenedRow> {
	const kind = destinationKind(row.kind);
	if (!kind) return { ok: false, code: "UNKNOWN_KIND" };
	const settings = kind.settings.safeParse(row.settings);
	if (!settings.success) return { ok: false, code: "SETTINGS_INVALID" };
	const sealed = row.secretsSealed ? await box.open(row.secretsSealed).catch(() => undefined) : "";
	if (sealed === undefined) return { ok: false, code: "SECRETS_UNREADABLE" };
	const secrets = kind.secrets.safeParse(sealed ? JSON.parse(sealed) : {});
	if (!secrets.success) return { ok: false, code: "SECRETS_MISSING" };
	const destination = kind.open(settings.data, secrets.data, {
		fetch: deps.fetch,
		now: deps.now ?? (() => new Date()),
		allowLoopbackHttp: deps.config.salesforce.allowLoopbackHttp,
	});
	return { ok: true, destination };
}
