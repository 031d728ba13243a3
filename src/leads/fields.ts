// Finds name, email and phone among form answers by label, case- and punctuation-insensitively
// (fixtures/manifest.json → conventions.field_name_matching).
import type { LeadAnswer } from "./lead";

/** "E-mail Address:" → "emailaddress". */
export function normaliseFieldName(name: string): string {
	return name
		.trim()
		.toLowerCase()
		.replace(/[?:]+$/, "")
		.replace(/[\s_\-.]+/g, "");
}

const synonyms = (...names: string[]) => new Set(names.map(normaliseFieldName));

const FULL_NAME = synonyms(
	"full_name",
	"fullname",
	"name",
	"full name",
	"your name",
	"contact name",
);
const FIRST_NAME = synonyms("first_name", "first name", "firstname", "given name");
const LAST_NAME = synonyms("last_name", "last name", "lastname", "surname", "family name");
const PHONE = synonyms(
	"phone_number",
	"phone",
	"phone number",
	"mobile",
	"mobile number",
	"mobile_phone",
	"telephone",
	"whatsapp number",
);
const EMAIL = synonyms("email", "e-mail", "email address", "e-mail address", "email_address");
const WORK_PHONE = synonyms("work_phone_number", "work phone", "work phone number");
const WORK_EMAIL = synonyms("work_email", "work email");

const COMPANY = synonyms(
	"company",
	"company name",
	"company_name",
	"organisation",
	"organization",
	"business",
	"business name",
);
const MESSAGE = synonyms(
	"message",
	"your message",
	"comments",
	"comment",
	"enquiry",
	"inquiry",
	"question",
	"notes",
);

export interface Contact {
	fullName: string | null;
	email: string | null;
	phones: string[];
}

/** Name (full name wins over first + last), lower-cased email, every phone value given. */
export function extractContact(answers: LeadAnswer[]): Contact {
	const named = answers.map((answer) => ({
		key: normaliseFieldName(answer.name),
		values: answer.values,
	}));
	const find = (names: Set<string>) =>
		named.filter((answer) => names.has(answer.key)).flatMap((answer) => answer.values);
	const first = (names: Set<string>) =>
		find(names)
			.map(cleanText)
			.find((v) => v !== "");

	const fullName = first(FULL_NAME) ?? joinName(first(FIRST_NAME), first(LAST_NAME));
	const email = first(EMAIL) ?? first(WORK_EMAIL);
	const phones = find(PHONE).filter((v) => v.trim() !== "");
	return {
		fullName: fullName ?? null,
		email: email ? email.toLowerCase() : null,
		phones: phones.length > 0 ? phones : find(WORK_PHONE).filter((v) => v.trim() !== ""),
	};
}

function cleanText(value: string): string {
	return value.trim().replace(/\s+/g, " ");
}

function joinName(first: string | undefined, last: string | undefined): string | undefined {
	const joined = [first, last].filter(Boolean).join(" ");
	return joined === "" ? undefined : joined;
}

export interface FormDetails {
	company: string | null;
	message: string | null;
}

/** The company and free-text message a website form may ask for (the first non-empty of each). */
export function extractFormDetails(answers: LeadAnswer[]): FormDetails {
	const first = (names: Set<string>) =>
		answers
			.filter((answer) => names.has(normaliseFieldName(answer.name)))
			.flatMap((answer) => answer.values)
			.map((value) => value.trim())
			.find((value) => value !== "");
	return { company: first(COMPANY) ?? null, message: first(MESSAGE) ?? null };
}
