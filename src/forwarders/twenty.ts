// The Twenty destination: a Person created or updated per lead through Twenty's REST API (name,
// emails and phones as Twenty's composite fields), optionally an Opportunity with the Person as
// its point of contact; the Person's id is the forward's remote id. Cloud or self-hosted base URL.
//
// Never a second Person (issue 23, item 6):
// - The lead's Person is looked up first by email (emails.primaryEmail[eq]), else by phone (number
//   and calling code): Twenty reads its database, so a Person created a moment ago is found, and a
//   redelivered lead updates it (filling only the fields still empty, and the mapping's fields).
// - A Person not found is created with an id Leadwire derives from the lead (a UUID v5), through
//   POST /rest/people?upsert=true: Twenty matches an upsert on the id and on unique fields, so a
//   resend after a crash between Twenty's answer and the relay's settle updates the same record.
//   Servers without upsert refuse the known id ("Record already exists"), which is read as done.
// - The Opportunity gets a derived id too and is created without upsert (a resend must not reset
//   a stage a rep has moved): "already exists" is done, so a lead never gets a second one.
// Twenty's API allows 100 calls a minute per workspace by default (API_RATE_LIMITING_LONG_LIMIT), so
// a send takes at most 10 leads (2-3 calls each) and a 429 stops it until the window has passed.
import { z } from "zod";
import { checkOutboundUrl } from "../security/outbound-url";
import { personName, splitPhone, stableUuid } from "./crm-person";
import type {
	DestinationCheck,
	DestinationDeps,
	DestinationKind,
	DestinationLead,
	DestinationRecord,
	OpenDestination,
} from "./destination";
import { fieldMappingSchema, requiredSecret } from "./destination-schemas";
import type { RecordResult, SendResult } from "./forwarder";
import { isObject } from "./salesforce-errors";
import { leadValue } from "./salesforce-mapping";
import {
	classifyTwenty,
	isAlreadyThere,
	type TwentyAnswer,
	type TwentyApi,
	type TwentyFailure,
	twentyApi,
} from "./twenty-api";

export const TWENTY_CLOUD_URL = "https://api.twenty.com";
/** 2-3 calls a lead against Twenty's default 100 calls a minute. */
export const TWENTY_BATCH_MAX = 10;

/** https://host[/path] without a trailing slash or /rest: the calls add /rest/<object>. */
const baseUrl = z
	.string()
	.trim()
	.transform((raw, ctx) => {
		// Loopback http passes here (local development); open() applies the deployment's allowance.
		const check = checkOutboundUrl(raw, { allowLoopbackHttp: true });
		if (!check.ok) {
			ctx.addIssue({ code: "custom", message: `the base URL ${check.reason}` });
			return z.NEVER;
		}
		const path = check.url.pathname.replace(/\/+$/, "").replace(/\/rest$/, "");
		return `${check.url.origin}${path}`;
	});

const twentySettings = z.strictObject({
	base_url: baseUrl.default(TWENTY_CLOUD_URL),
	/** Person field (API name, e.g. jobTitle or a custom text field) → lead field, null to leave out. */
	field_mapping: fieldMappingSchema(
		/^[a-z][a-zA-Z0-9]*$/,
		"must be a Twenty field's API name (camelCase)",
	).default({}),
	/** Create an Opportunity per lead, in this stage (Twenty's stage value, e.g. NEW), or Twenty's default. */
	opportunity: z
		.strictObject({ stage: z.string().trim().min(1).nullable().default(null) })
		.nullable()
		.default(null),
});

const twentySecrets = z.strictObject({
	api_key: requiredSecret("the Twenty API key is required"),
});

export type TwentySettings = z.infer<typeof twentySettings>;
export type TwentySecrets = z.infer<typeof twentySecrets>;

export const twentyDestination: DestinationKind<TwentySettings, TwentySecrets> = {
	kind: "twenty",
	settings: twentySettings,
	secrets: twentySecrets,
	open(settings, secrets, deps): OpenDestination {
		const guard = checkOutboundUrl(settings.base_url, {
			allowLoopbackHttp: deps.allowLoopbackHttp,
		});
		if (!guard.ok) return refusedUrl(guard.reason);
		const api = () => twentyApi(deps, settings.base_url, secrets.api_key);
		return {
			maxBatch: TWENTY_BATCH_MAX,
			send: (records) => sendPeople(api(), settings, records, deps),
			check: () => checkTwenty(api()),
		};
	},
};

/** A base URL this deployment may not call (http to loopback outside local development). */
function refusedUrl(reason: string): OpenDestination {
	return {
		maxBatch: TWENTY_BATCH_MAX,
		send: async () => ({
			kind: "connection",
			problem: "needs_reauth",
			code: "BASE_URL_REFUSED",
			httpStatus: null,
			durationMs: 0,
		}),
		check: async () => ({ ok: false, code: "BASE_URL_REFUSED", detail: `the base URL ${reason}` }),
	};
}

type Halt = Extract<TwentyFailure, { kind: "connection" | "stop" }>;

async function sendPeople(
	api: TwentyApi,
	settings: TwentySettings,
	records: DestinationRecord[],
	deps: DestinationDeps,
): Promise<SendResult> {
	const results: RecordResult[] = [];
	const facts = () => ({ httpStatus: api.tally.httpStatus, durationMs: api.tally.durationMs });
	for (const [index, record] of records.entries()) {
		const outcome = await sendLead(api, settings, record.lead, deps.now);
		if (outcome.kind === "connection")
			return { kind: "connection", problem: outcome.problem, code: outcome.code, ...facts() };
		if (outcome.kind === "stop") {
			// A limit or an outage concerns every lead not sent yet; those sent keep their result.
			for (let i = index; i < records.length; i++) results.push(outcome.result);
			break;
		}
		results.push(outcome);
	}
	return { kind: "results", results, ...facts() };
}

/** The lead's Person (found and updated, or created), then its Opportunity. */
async function sendLead(
	api: TwentyApi,
	settings: TwentySettings,
	lead: DestinationLead,
	now: () => Date,
): Promise<RecordResult | Halt> {
	const found = await findPerson(api, lead);
	if (!found.ok) return failure(found.answer, now);
	const person = found.person
		? await updatePerson(api, settings, lead, found.person)
		: await createPerson(api, settings, lead);
	if (!person.ok) return failure(person.answer, now);
	if (settings.opportunity) {
		const opportunity = await createOpportunity(api, settings.opportunity, lead, person.id);
		if (!opportunity.ok) return failure(opportunity.answer, now);
	}
	return { kind: "sent", remoteId: person.id };
}

function failure(
	answer: Exclude<TwentyAnswer, { ok: true }>,
	now: () => Date,
): RecordResult | Halt {
	const failed = classifyTwenty(answer, now());
	return failed.kind === "record" ? failed.result : failed;
}

type Failed = { ok: false; answer: Exclude<TwentyAnswer, { ok: true }> };
type Person = Record<string, unknown> & { id: string };

/** The key every record of this lead derives its id from: stable across resends of the lead. */
function leadKey(lead: DestinationLead): string {
	return `${lead.companyId}:${lead.clientId}:${lead.createdAt}`;
}

/** By email, else by phone (national number and calling code); neither: nothing to find by. */
function personFilter(lead: DestinationLead): string | undefined {
	if (lead.email) return `emails.primaryEmail[eq]:${quoted(lead.email.trim().toLowerCase())}`;
	const phone = lead.phone ? splitPhone(lead.phone) : undefined;
	if (!phone) return undefined;
	return `and(phones.primaryPhoneNumber[eq]:${quoted(phone.nationalNumber)},phones.primaryPhoneCallingCode[eq]:${quoted(phone.callingCode)})`;
}

function quoted(value: string): string {
	return `"${value.replace(/"/g, "")}"`;
}

async function findPerson(
	api: TwentyApi,
	lead: DestinationLead,
): Promise<{ ok: true; person?: Person } | Failed> {
	const filter = personFilter(lead);
	if (!filter) return { ok: true };
	const answer = await api.call("GET", `/people?filter=${encodeURIComponent(filter)}&limit=1`);
	if (!answer.ok) return { ok: false, answer };
	const people = isObject(answer.body) && isObject(answer.body.data) ? answer.body.data.people : [];
	const [first] = Array.isArray(people) ? people : [];
	return isObject(first) && typeof first.id === "string"
		? { ok: true, person: { ...first, id: first.id } }
		: { ok: true };
}

/** Name, emails and phones as Twenty's composite fields, then the mapping's fields. */
function personFields(lead: DestinationLead, mapping: TwentySettings["field_mapping"]) {
	const phone = lead.phone ? splitPhone(lead.phone) : undefined;
	const fields: Record<string, unknown> = {
		name: personName(lead),
		emails: lead.email ? { primaryEmail: lead.email.trim().toLowerCase() } : undefined,
		phones: phone
			? {
					primaryPhoneNumber: phone.nationalNumber,
					primaryPhoneCountryCode: phone.countryCode,
					primaryPhoneCallingCode: phone.callingCode,
				}
			: undefined,
	};
	const mapped: Record<string, string | null> = {};
	for (const [field, leadField] of Object.entries(mapping))
		if (leadField !== null) mapped[field] = leadValue(lead, leadField) ?? null;
	return { composite: fields, mapped };
}

async function createPerson(
	api: TwentyApi,
	settings: TwentySettings,
	lead: DestinationLead,
): Promise<{ ok: true; id: string } | Failed> {
	const id = await stableUuid(`person:${leadKey(lead)}`);
	const { composite, mapped } = personFields(lead, settings.field_mapping);
	const answer = await api.call("POST", "/people?upsert=true", { id, ...composite, ...mapped });
	if (answer.ok) return { ok: true, id: createdId(answer.body, "createPerson") ?? id };
	// A server without upsert: the id is ours, so the Person exists from an earlier send of this lead.
	if (isAlreadyThere(answer) && answer.error.messages.some((m) => /Record already exists/i.test(m)))
		return { ok: true, id };
	return { ok: false, answer };
}

/** Fills what the Person lacks (a rep's edits stay) and writes the mapping's fields. */
async function updatePerson(
	api: TwentyApi,
	settings: TwentySettings,
	lead: DestinationLead,
	person: Person,
): Promise<{ ok: true; id: string } | Failed> {
	const { composite, mapped } = personFields(lead, settings.field_mapping);
	const changes: Record<string, unknown> = { ...mapped };
	if (isEmptyComposite(person.name, ["firstName", "lastName"])) changes.name = composite.name;
	if (composite.emails && isEmptyComposite(person.emails, ["primaryEmail"]))
		changes.emails = composite.emails;
	if (composite.phones && isEmptyComposite(person.phones, ["primaryPhoneNumber"]))
		changes.phones = composite.phones;
	if (Object.keys(changes).length === 0) return { ok: true, id: person.id };
	const answer = await api.call("PATCH", `/people/${person.id}`, changes);
	return answer.ok ? { ok: true, id: person.id } : { ok: false, answer };
}

function isEmptyComposite(value: unknown, keys: string[]): boolean {
	return !isObject(value) || keys.every((key) => !value[key]);
}

async function createOpportunity(
	api: TwentyApi,
	opportunity: NonNullable<TwentySettings["opportunity"]>,
	lead: DestinationLead,
	personId: string,
): Promise<{ ok: true } | Failed> {
	const who = lead.fullName?.trim() || lead.email || "New lead";
	const answer = await api.call("POST", "/opportunities", {
		id: await stableUuid(`opportunity:${leadKey(lead)}`),
		name: `${who} (${leadValue(lead, "lead_source")})`,
		pointOfContactId: personId,
		...(opportunity.stage ? { stage: opportunity.stage } : {}),
	});
	return answer.ok || isAlreadyThere(answer) ? { ok: true } : { ok: false, answer };
}

/** data.create<Object>.id of a create's answer. */
function createdId(body: unknown, key: string): string | undefined {
	const data = isObject(body) && isObject(body.data) ? body.data[key] : undefined;
	return isObject(data) && typeof data.id === "string" ? data.id : undefined;
}

/** One read of a single Person: the key works and Twenty answers at this base URL. */
async function checkTwenty(api: TwentyApi): Promise<DestinationCheck> {
	const answer = await api.call("GET", "/people?limit=1");
	if (answer.ok) return { ok: true, detail: "API key valid, Twenty reachable" };
	if (answer.status === null)
		return { ok: false, code: answer.network, detail: "Twenty did not answer" };
	const failed = classifyTwenty(answer, new Date());
	const code = failed.kind === "connection" ? failed.code : answer.error.code;
	const detail: Record<number, string> = {
		401: "Twenty refused the API key (revoked, expired or mistyped)",
		403: "the API key's role may not read People",
		404: "no Twenty REST API at this base URL",
		429: "Twenty's rate limit is spent for now",
	};
	return { ok: false, code, detail: detail[answer.status] ?? `Twenty answered ${answer.status}` };
}
