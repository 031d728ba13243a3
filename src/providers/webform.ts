// Website form adapter: JSON, urlencoded or multipart fields → one FormLead with name / first+last,
// email, phones, company, message and every other field kept as an answer. Pure: no I/O.

import { z } from "zod";
import { extractContact, extractFormDetails, normaliseFieldName } from "../leads/fields";
import type { LeadAnswer } from "../leads/lead";
import { isJsonObject, type JsonValue, parseJsonLossless } from "./json";

/** What Hono's `c.req.parseBody({ all: true })` returns for urlencoded and multipart bodies. */
export type FormBody = Record<string, string | File | (string | File)[]>;

export interface FormLead {
	/** The form's own `submission_id` field, when it sends one (the Idempotency-Key header wins). */
	submissionId: string | undefined;
	fullName: string | null;
	email: string | null;
	/** As typed; normalised to E.164 with the company's country at ingest. */
	phones: string[];
	company: string | null;
	message: string | null;
	/** Every field but the honeypot and submission_id, in the order sent. */
	answers: LeadAnswer[];
}

export type FormParse =
	| { kind: "lead"; lead: FormLead }
	| { kind: "ignored"; reason: string }
	| { kind: "invalid"; reason: string };

const SUBMISSION_ID = "submissionid";

/** A JSON object's fields; nested objects are kept as JSON text, nulls are dropped. */
export function fieldsFromJson(
	text: string,
): { ok: true; fields: LeadAnswer[] } | { ok: false; reason: string } {
	if (text.trim() === "") return { ok: false, reason: "empty body" };
	const parsed = parseJsonLossless(text);
	if (!parsed.ok) return parsed;
	if (!isJsonObject(parsed.value)) return { ok: false, reason: "payload is not a JSON object" };
	const fields = Object.entries(parsed.value).map(([name, value]) => ({
		name,
		values: (Array.isArray(value) ? value : [value]).flatMap(textOf),
	}));
	return { ok: true, fields: fields.filter((field) => field.values.length > 0) };
}

function textOf(value: JsonValue): string[] {
	if (value === null) return [];
	if (typeof value === "object") return [JSON.stringify(value)];
	return [String(value)];
}

/**
 * Urlencoded or multipart fields. An uploaded file is kept as what it was, never its contents:
 * `{"filename":"cv.pdf","size":48213}` (JSON text, like a JSON form's nested values), so the answers
 * say a file came; a file input left empty (no name, no bytes) is not an answer.
 */
export function fieldsFromFormBody(body: FormBody): LeadAnswer[] {
	return Object.entries(body)
		.map(([name, value]) => ({
			name,
			values: (Array.isArray(value) ? value : [value]).flatMap(formValueText),
		}))
		.filter((field) => field.values.length > 0);
}

function formValueText(value: string | File): string[] {
	if (typeof value === "string") return [value];
	if (value.name === "" && value.size === 0) return [];
	return [JSON.stringify({ filename: value.name, size: value.size })];
}

/** A filled honeypot (a field hidden from people) means a bot: ignored, not stored. */
export function parseFormFields(fields: LeadAnswer[], honeypotField: string): FormParse {
	const honeypot = normaliseFieldName(honeypotField);
	const isHoneypot = (field: LeadAnswer) => normaliseFieldName(field.name) === honeypot;
	if (fields.some((field) => isHoneypot(field) && field.values.some((v) => v.trim() !== ""))) {
		return { kind: "ignored", reason: "honeypot field filled" };
	}
	const isSubmissionId = (field: LeadAnswer) => normaliseFieldName(field.name) === SUBMISSION_ID;
	const answers = fields.filter((field) => !isHoneypot(field) && !isSubmissionId(field));
	const contact = extractContact(answers);
	if (contact.email === null && contact.phones.length === 0) {
		return { kind: "invalid", reason: "no email or phone field" };
	}
	const submissionId = fields
		.find(isSubmissionId)
		?.values.map((v) => v.trim())
		.find((v) => v !== "");
	return {
		kind: "lead",
		lead: { ...contact, ...extractFormDetails(answers), submissionId, answers },
	};
}

/** What a failed submission's log keeps, so replay can run it again (fields as received). */
export interface FormPayload {
	company_id: string | null;
	idempotency_key: string | null;
	fields: LeadAnswer[];
}

const payloadSchema = z.object({
	company_id: z.string().nullable(),
	idempotency_key: z.string().nullable(),
	fields: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
});

export function formPayload(payload: FormPayload): string {
	return JSON.stringify(payload);
}

/** A stored FormPayload, or undefined when the text is not one (e.g. an unparseable body). */
export function parseFormPayload(text: string): FormPayload | undefined {
	try {
		const parsed = payloadSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined;
	}
}
