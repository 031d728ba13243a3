// The console's plain-text forms of lead-distribution values, read into the API's JSON shapes (the
// zod schemas then check them, as for the API) and written back: a rule's conditions one per line,
// a weekday's hours as "09:00-17:00", a sample lead's answers as "question: value" lines.
import type { Condition } from "../storage/distribution-state";
import { WEEKDAYS } from "../storage/distribution-state";

/**
 * One condition per line: `form_id equals 7001`, `phone_country one of ES, MX`,
 * `answer[language] contains español`, `time within mon-fri 09:00-17:00`. A line that does not
 * read is passed on as it is, so the schema names the line's problem beside the field.
 */
export function readConditions(text: string): { conditions: unknown[]; problem?: string } {
	const lines = text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== "");
	const unread = lines.findIndex((line) => !CONDITION.test(line));
	if (unread !== -1) {
		return {
			conditions: [],
			problem: `line ${unread + 1} “${lines[unread]}”: write field equals|contains|one of value, e.g. form_id equals 7001`,
		};
	}
	return { conditions: lines.map(readCondition) };
}

const CONDITION = /^([a-z_]+)(?:\[(.+?)\])?\s+(equals|contains|one of|within)\s+(.+)$/i;

function readCondition(line: string): unknown {
	const [, field = "", question, op = "", value = ""] = CONDITION.exec(line) ?? [];
	if (field === "time") {
		const [days = "", hours = ""] = value.split(/\s+/);
		const [from, to] = hours.split("-");
		return { field, op: "within", days: readDays(days), from, to };
	}
	const base = { field, ...(question ? { question } : {}) };
	if (op.toLowerCase() === "one of") {
		return {
			...base,
			op: "one_of",
			values: value
				.split(",")
				.map((v) => v.trim())
				.filter(Boolean),
		};
	}
	return { ...base, op: op.toLowerCase(), value };
}

/** "mon-fri" or "mon,wed,sat". */
function readDays(text: string): string[] {
	const range = /^([a-z]{3})-([a-z]{3})$/i.exec(text);
	if (range) {
		const from = WEEKDAYS.indexOf((range[1] ?? "").toLowerCase() as (typeof WEEKDAYS)[number]);
		const to = WEEKDAYS.indexOf((range[2] ?? "").toLowerCase() as (typeof WEEKDAYS)[number]);
		if (from !== -1 && to >= from) return WEEKDAYS.slice(from, to + 1);
	}
	return text.toLowerCase().split(",");
}

export function conditionText(condition: Condition): string {
	if (condition.field === "time") {
		return `time within ${condition.days.join(",")} ${condition.from}-${condition.to}`;
	}
	const field = condition.question ? `${condition.field}[${condition.question}]` : condition.field;
	return condition.op === "one_of"
		? `${field} one of ${condition.values.join(", ")}`
		: `${field} ${condition.op} ${condition.value}`;
}

/** "09:00-17:00" → { from, to }; blank → undefined (a day off); anything else as typed, for the schema. */
export function readHours(text: string | undefined): { from: string; to: string } | undefined {
	const trimmed = text?.trim() ?? "";
	if (trimmed === "") return undefined;
	const [from = "", to = ""] = trimmed.split(/\s*-\s*/);
	return { from, to };
}

/** "question: value" per line → answers (a question given twice keeps both values). */
export function readAnswers(text: string | undefined): { name: string; values: string[] }[] {
	const answers = new Map<string, string[]>();
	for (const line of (text ?? "").split(/\r?\n/)) {
		const at = line.indexOf(":");
		if (at <= 0) continue;
		const name = line.slice(0, at).trim();
		answers.set(name, [...(answers.get(name) ?? []), line.slice(at + 1).trim()]);
	}
	return [...answers].map(([name, values]) => ({ name, values }));
}
