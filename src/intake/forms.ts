// The website-form pipeline (the Twenty CRM pattern): search the company's clients by email or
// phone → update the one found or create one (round-robin) → open a follow-up task for the rep.
// Shared by the forms route and replay; answers nothing over HTTP.

import type { ProviderProfile } from "../leads/lead";
import { normalisePhones, validNumbers } from "../leads/phone";
import type { FormLead } from "../providers/webform";
import type { Db } from "../storage/db";
import {
	type FormWrite,
	findClientByPhone,
	formClientReceipt,
	formClientWritten,
	loadFormFacts,
	updateFormClient,
} from "../storage/form-submissions";
import type { ForwardingPolicy } from "../storage/forwards";
import type { FailureCause } from "../storage/schema";
import { FOLLOW_UP_MINUTES, writeDistributed } from "./distribute";
import { recordDeliveryLog } from "./ingest";

export const FORMS_PROFILE: ProviderProfile = {
	provider: "webform",
	source: "webform",
	action: "form_submission_received",
	accountName: "Website forms",
};

const NOTE_MAX_CHARS = 1000;

export interface FormInput {
	receiptId: string;
	companyId: number | undefined;
	/** Idempotency-Key header or submission_id field; the receipt id when neither was sent. */
	idempotencyKey: string | undefined;
	lead: FormLead;
	now: Date;
	/** What a failure log keeps for replay (see providers/webform formPayload). */
	payload: string;
	/** Whose new clients get a Salesforce forward (config's default connection). */
	forwarding?: ForwardingPolicy;
}

export type FormOutcome =
	| { outcome: "created"; clientId: number; companyId: number; forwarded: boolean }
	| { outcome: "updated"; clientId: number; companyId: number }
	| { outcome: "duplicate"; clientId: number | null; companyId: number }
	| { outcome: "failure"; reason: string };

/** Upserts the submission's client; throws StorageUnavailableError if D1 fails. */
export async function ingestFormSubmission(db: Db, input: FormInput): Promise<FormOutcome> {
	const { companyId, lead, receiptId } = input;
	if (companyId === undefined) {
		return failure(db, input, "the form's URL names no company: add ?company_id=N", "unmapped");
	}
	const key = input.idempotencyKey ?? receiptId;
	const facts = await loadFormFacts(db, FORMS_PROFILE.provider, {
		companyId,
		idempotencyKey: key,
		email: lead.email,
	});
	const { company } = facts;
	if (!company) {
		const reason = `company ${companyId} does not exist (named by the form's URL)`;
		return failure(db, input, reason, "unknown_company");
	}
	if (facts.seenKey) {
		await recordDeliveryLog({ db }, FORMS_PROFILE, receiptId, {
			companyId,
			status: "duplicate",
			message: "duplicate submission",
			externalId: key,
			payload: null,
		});
		return { outcome: "duplicate", clientId: facts.seenKey.clientId, companyId };
	}
	// Phones need the company's country, so they are matched after the email.
	const phones = normalisePhones(lead.phones, company.defaultCountry);
	const matchId = facts.matchId ?? (await findClientByPhone(db, companyId, validNumbers(phones)));

	const write: FormWrite = {
		kind: FORMS_PROFILE,
		receiptId,
		companyId,
		idempotencyKey: key,
		client: {
			externalId: key,
			fullName: lead.fullName,
			email: lead.email,
			formId: null,
			phones,
			answers: lead.answers,
		},
		task: {
			dueAt: new Date(input.now.getTime() + FOLLOW_UP_MINUTES * 60_000).toISOString(),
			note: taskNote(lead),
		},
		forwarding: input.forwarding,
	};
	const written =
		matchId === undefined
			? formClientWritten(await writeDistributed(db, formClientReceipt(company, write), input.now))
			: await updateFormClient(db, matchId, write);
	return { ...written, companyId };
}

function taskNote(lead: FormLead): string {
	const note = lead.message ? `Website form: ${lead.message}` : "Website form submission";
	return note.slice(0, NOTE_MAX_CHARS);
}

async function failure(
	db: Db,
	input: FormInput,
	reason: string,
	cause: FailureCause,
): Promise<FormOutcome> {
	const log = {
		companyId: null,
		status: "failure" as const,
		message: reason,
		externalId: input.idempotencyKey ?? null,
		payload: input.payload,
		cause,
	};
	// The form URL's company_id (trusted: the signed-URL guard ran) is what a replay routes to.
	await recordDeliveryLog({ db }, FORMS_PROFILE, input.receiptId, log, input.companyId);
	return { outcome: "failure", reason };
}
