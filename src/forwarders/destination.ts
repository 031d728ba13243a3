// The contract every destination kind (Salesforce, HubSpot, Twenty, signed webhook) fulfils: its
// settings and secrets as zod schemas, and how one configured destination sends leads and is checked.
// Adding a kind is one adapter file exporting a DestinationKind, its config schema and one test file.
import type { z } from "zod";
import type { Fetch } from "../timed-call";
import type { SendResult } from "./forwarder";
import type { MappableClient } from "./salesforce-mapping";

export type DestinationKindName = "salesforce" | "hubspot" | "twenty" | "webhook";

const LABELS: Record<DestinationKindName, string> = {
	salesforce: "Salesforce",
	hubspot: "HubSpot",
	twenty: "Twenty",
	webhook: "Webhook",
};

/** A kind's name for people (logs, the console); an unknown kind is shown as stored. */
export function destinationLabel(kind: string): string {
	return (LABELS as Record<string, string>)[kind] ?? kind;
}

/** A stored lead as every destination sees it (the same fields Salesforce is mapped from, and more). */
export interface DestinationLead extends MappableClient {
	companyId: number;
	/** The assigned rep's email (HubSpot owner, Twenty assignee); null when unassigned. */
	repEmail: string | null;
	repName: string | null;
	/** What the provider named: form_name, campaign_name, ad_set_name, ad_name... (only keys sent). */
	attribution: Record<string, string>;
	isTest: boolean;
	createdAt: string;
}

/** One lead to send, in the order results come back. */
export interface DestinationRecord {
	forwardId: number;
	lead: DestinationLead;
}

/** What a destination's health check learned; the health room turns it into a check result. */
export type DestinationCheck =
	| { ok: true; detail: string; rateLimitLeft?: number }
	| { ok: false; code: string; detail: string };

export interface DestinationDeps {
	fetch: Fetch;
	now: () => Date;
	/** Local development only: http://127.0.0.1 targets are allowed (the fakes in tests and dev). */
	allowLoopbackHttp: boolean;
}

/** One configured destination, opened with its settings and unsealed secrets. */
export interface OpenDestination {
	/** Most records one send accepts (HubSpot's batch endpoints take 100). */
	readonly maxBatch: number;
	/**
	 * Sends the records. Must be idempotent: a redelivered lead, or one whose earlier send succeeded
	 * remotely before the relay could settle it, must not create a second record (upsert by email or
	 * an external id, or the API's idempotency key).
	 */
	send(records: DestinationRecord[]): Promise<SendResult>;
	/** Credential valid, API reachable, rate limit left; one cheap read call. */
	check(): Promise<DestinationCheck>;
}

export interface DestinationKind<Settings, Secrets> {
	readonly kind: DestinationKindName;
	/** Settings stored in clear (base URL, pipeline, field mapping...). */
	readonly settings: z.ZodType<Settings>;
	/** Secrets sealed with the secret box before they are stored, never read back out. */
	readonly secrets: z.ZodType<Secrets>;
	open(settings: Settings, secrets: Secrets, deps: DestinationDeps): OpenDestination;
}
