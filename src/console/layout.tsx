// The console's page frame and small shared pieces: navigation, notices, field errors, pagination,
// empty states, status badges. Server-rendered Hono JSX; text is escaped by JSX.
import type { Child, FC } from "hono/jsx";
import { encodeCursor } from "../http/pagination";
import type { Company } from "../storage/companies";
import type { RowCount } from "../storage/pages";
import type { ConsoleContext, Flash } from "./console-env";

export type Section =
	| "overview"
	| "leads"
	| "unresolved"
	| "receipts"
	| "forwards"
	| "companies"
	| "health";

const NAV: { section: Section; href: string; label: string }[] = [
	{ section: "overview", href: "/console", label: "Overview" },
	{ section: "leads", href: "/console/leads", label: "Leads" },
	{ section: "unresolved", href: "/console/unresolved", label: "Unresolved" },
	{ section: "receipts", href: "/console/receipts", label: "Receipts" },
	{ section: "forwards", href: "/console/forwards", label: "Forwards" },
	{ section: "companies", href: "/console/companies", label: "Companies" },
	{ section: "health", href: "/console/health", label: "Health" },
];

export interface PageFrame {
	title: string;
	section?: Section;
	csrf?: string;
	flash?: Flash;
	children?: Child;
}

export const Document: FC<{ title: string; children?: Child }> = ({ title, children }) => (
	<html lang="en">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<meta name="referrer" content="same-origin" />
			<title>{`${title} · Leadwire console`}</title>
			<link rel="stylesheet" href="/console/assets/console.css" />
		</head>
		<body>
			{children}
			<script src="/console/assets/console.js" defer />
		</body>
	</html>
);

export const Page: FC<PageFrame> = ({ title, section, csrf, flash, children }) => (
	<Document title={title}>
		<a class="skip" href="#main">
			Skip to content
		</a>
		<header class="top">
			<a class="brand" href="/console">
				Leadwire
			</a>
			<nav aria-label="Console">
				{NAV.map((item) => (
					<a href={item.href} aria-current={item.section === section ? "page" : undefined}>
						{item.label}
					</a>
				))}
			</nav>
			{csrf ? (
				<form method="post" action="/console/sign-out">
					<input type="hidden" name="_csrf" value={csrf} />
					<button type="submit">Sign out</button>
				</form>
			) : null}
		</header>
		<main id="main">
			<h1 dir="auto">{title}</h1>
			{flash ? <Notice flash={flash} /> : null}
			{children}
		</main>
	</Document>
);

export const Notice: FC<{ flash: Flash }> = ({ flash }) => (
	<p class={flash.kind === "ok" ? "notice" : `notice ${flash.kind}`} role="status">
		{flash.text}
	</p>
);

/** The hidden CSRF field every console form carries. */
export const Csrf: FC<{ token: string }> = ({ token }) => (
	<input type="hidden" name="_csrf" value={token} />
);

export type FieldErrors = Record<string, string>;

const ErrorText: FC<{ id: string; error: string | undefined }> = ({ id, error }) =>
	error ? (
		<span class="field-error" id={`${id}-error`}>
			{error}
		</span>
	) : null;

/** A labelled input with its error message next to it (aria-describedby). */
export const Field: FC<{
	name: string;
	label: string;
	value?: string | null;
	type?: string;
	errors?: FieldErrors;
	required?: boolean;
	placeholder?: string;
	autocomplete?: string;
	id?: string;
	hint?: string;
}> = (props) => {
	const id = props.id ?? `f-${props.name}`;
	const error = props.errors?.[props.name];
	const described = [error ? `${id}-error` : "", props.hint ? `${id}-hint` : ""]
		.filter(Boolean)
		.join(" ");
	return (
		<label for={id}>
			{props.label}
			<input
				id={id}
				name={props.name}
				type={props.type ?? "text"}
				value={props.value ?? ""}
				required={props.required}
				placeholder={props.placeholder}
				autocomplete={props.autocomplete ?? "off"}
				dir="auto"
				aria-invalid={error ? "true" : undefined}
				aria-describedby={described || undefined}
			/>
			{props.hint ? (
				<span class="muted" id={`${id}-hint`}>
					{props.hint}
				</span>
			) : null}
			<ErrorText id={id} error={error} />
		</label>
	);
};

export const Select: FC<{
	name: string;
	label: string;
	value?: string | null;
	options: { value: string; label: string }[];
	errors?: FieldErrors;
	id?: string;
}> = (props) => {
	const id = props.id ?? `f-${props.name}`;
	const error = props.errors?.[props.name];
	return (
		<label for={id}>
			{props.label}
			<select
				id={id}
				name={props.name}
				aria-invalid={error ? "true" : undefined}
				aria-describedby={error ? `${id}-error` : undefined}
			>
				{props.options.map((option) => (
					<option value={option.value} selected={option.value === (props.value ?? "")}>
						{option.label}
					</option>
				))}
			</select>
			<ErrorText id={id} error={error} />
		</label>
	);
};

/** A list filter: "any" first, then each choice, shown through `label` (operator words). */
export const FilterSelect: FC<{
	name: string;
	label: string;
	any: string;
	choices: readonly string[];
	query: Record<string, string>;
	errors: FieldErrors;
	labelOf?: (choice: string) => string;
}> = ({ name, label, any, choices, query, errors, labelOf }) => (
	<Select
		name={name}
		label={label}
		value={query[name]}
		options={[
			{ value: "", label: any },
			...choices.map((choice) => ({ value: choice, label: labelOf ? labelOf(choice) : choice })),
		]}
		errors={errors}
	/>
);

export function companyOptions(companies: Company[], any = "All companies") {
	return [
		{ value: "", label: any },
		...companies.map((company) => ({ value: String(company.id), label: company.name })),
	];
}

/** The company filter of a list page, with the Filter button. */
export const CompanyFilter: FC<{
	companies: Company[];
	query: Record<string, string>;
	errors: FieldErrors;
	button?: string;
}> = ({ companies, query, errors, button }) => (
	<>
		<Select
			name="company_id"
			label="Company"
			value={query.company_id}
			options={companyOptions(companies)}
			errors={errors}
		/>
		<button type="submit">{button ?? "Filter"}</button>
	</>
);

export const FormErrors: FC<{ errors?: FieldErrors }> = ({ errors }) =>
	errors?._form ? (
		<p class="notice error" role="alert">
			{errors._form}
		</p>
	) : null;

export const Empty: FC<{ children?: Child }> = ({ children }) => <p class="empty">{children}</p>;

export const Badge: FC<{ status: string }> = ({ status }) => (
	<span class={`badge ${status}`}>{status}</span>
);

/** The mark of a lead sent with "Send a test lead" (counted nowhere, given no rep). */
export const TestBadge: FC = () => (
	<span class="badge test" title="Sent with Send a test lead: not counted, no rep">
		Test
	</span>
);

/** "1 receipt matches", "12 leads match", "1,000+ forwards match": a list's counted rows. */
export const MatchCount: FC<{ matching: RowCount | undefined; noun: string; children?: Child }> = ({
	matching,
	noun,
	children,
}) => {
	if (!matching) return null;
	const { count, capped } = matching;
	const number = `${count.toLocaleString("en-US")}${capped ? "+" : ""}`;
	const one = count === 1 && !capped;
	return (
		<p class="muted count" role="status">
			{number} {one ? noun : `${noun}s`} {one ? "matches" : "match"}
			{children ? <> · {children}</> : null}
		</p>
	);
};

/** "Next page" keeps the current filters and adds the cursor; "First page" drops it. */
export const Pager: FC<{
	path: string;
	query: Record<string, string | undefined>;
	nextBeforeId: number | null;
}> = ({ path, query, nextBeforeId }) => {
	const next = nextBeforeId === null ? null : encodeCursor(nextBeforeId);
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value !== undefined && value !== "" && key !== "cursor") params.set(key, value);
	}
	const first = `${path}${params.size > 0 ? `?${params}` : ""}`;
	const hadCursor = query.cursor !== undefined && query.cursor !== "";
	if (next) params.set("cursor", next);
	return (
		<nav class="pager" aria-label="Pages">
			{hadCursor ? <a href={first}>First page</a> : null}
			{next ? <a href={`${path}?${params}`}>Next page</a> : null}
		</nav>
	);
};

/** A time as the operator reads it: ISO minutes in UTC. */
export function when(iso: string | null | undefined): string {
	return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
}

/** The 404 page of an unknown id, with the way back to its list. */
export function notFound(c: ConsoleContext, what: string, section: Section) {
	return c.html(
		<Page title={`No such ${what}`} section={section} csrf={c.var.csrf}>
			<Empty>
				This {what} does not exist. <a href={`/console/${section}`}>Back to {section}</a>
			</Empty>
		</Page>,
		404,
	);
}
