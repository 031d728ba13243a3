// What the company page and its section routes share: the company id of the path, which form a
// failed POST shows again (with what was typed and its errors), and the page that shows it.
import type { DryRun } from "../../../operator/routing";
import type { ConsoleContext } from "../../console-env";
import { type FormData, pathId } from "../../forms";
import type { FieldErrors } from "../../layout";

export type FormName =
	| "edit"
	| "rep"
	| "account"
	| "salesforce"
	| "destination"
	| "hubspot"
	| "twenty"
	| "channel"
	| "rules"
	| "rule"
	| "team"
	| "routing-test"
	| `rule-${number}`
	| `team-${number}`
	| `rep-routing-${number}`;

export interface FormState {
	form: FormName;
	values: FormData;
	errors: FieldErrors;
	/** The dry run's answer ("Who would get this lead?"), shown under its form. */
	dryRun?: DryRun;
}

/**
 * The company page, with `state` after a form failed (400). Section routes are handed it rather
 * than importing it, since the page imports their sections to render them.
 */
export type RenderCompanyPage = (
	c: ConsoleContext,
	id: number,
	state?: FormState,
) => Promise<Response>;

export function companyId(c: ConsoleContext): number {
	return pathId(c, "id");
}

/** The errors to show on `form`: none unless it is the form that failed. */
export function errorsOf(state: FormState | undefined, form: FormName): FieldErrors {
	return state?.form === form ? state.errors : {};
}

/** What `form` shows: what was posted if it is the form that failed, else `fallback`. */
export function valuesOf(
	state: FormState | undefined,
	form: FormName,
	fallback: FormData,
): FormData {
	return state?.form === form ? state.values : fallback;
}
