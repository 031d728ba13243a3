// The destinations card's HubSpot and Twenty forms, and how each form's fields become the admin
// API's body (settings in the kind's snake_case schema, secrets only when typed). Secrets are never
// shown back: the token and key fields are always empty, blank keeps the stored one.
import type { Child, FC } from "hono/jsx";
import { destinationLabel } from "../../../forwarders/destination";
import { TWENTY_CLOUD_URL } from "../../../forwarders/twenty";
import type { DestinationBody } from "../../../operator/destinations";
import { checkbox, type FormData, optional } from "../../forms";
import { Csrf, Field, type FieldErrors, FormErrors } from "../../layout";

export type CrmKind = "hubspot" | "twenty";

type Settings = Record<string, unknown>;

function text(value: unknown): string {
	return typeof value === "string" ? value : "";
}

function objectAt(settings: Settings | undefined, key: string): Settings | undefined {
	const value = settings?.[key];
	return value && typeof value === "object" ? (value as Settings) : undefined;
}

/** The form's fields as they show a stored destination's settings (nothing secret). */
export function crmFormValues(kind: CrmKind, settings: Settings | undefined): FormData {
	if (kind === "hubspot") {
		const deal = objectAt(settings, "deal");
		return {
			pipeline: text(deal?.pipeline),
			stage: text(deal?.stage),
			...(settings?.assign_owner === false ? {} : { assign_owner: "on" }),
		};
	}
	const opportunity = objectAt(settings, "opportunity");
	return {
		base_url: text(settings?.base_url),
		stage: text(opportunity?.stage),
		...(opportunity ? { opportunity: "on" } : {}),
	};
}

/**
 * The API body of a posted form. Settings the form does not show (field_mapping, id properties)
 * keep what the API set; a blank secret keeps the stored one.
 */
export function crmFormBody(kind: CrmKind, form: FormData, stored: Settings = {}): DestinationBody {
	if (kind === "hubspot") {
		const pipeline = form.pipeline?.trim() ?? "";
		const stage = form.stage?.trim() ?? "";
		const idProperty = objectAt(stored, "deal")?.id_property ?? null;
		const token = optional(form.access_token);
		return {
			settings: {
				...stored,
				assign_owner: checkbox(form.assign_owner),
				deal: pipeline || stage ? { pipeline, stage, id_property: idProperty } : null,
			},
			...(token ? { secrets: { access_token: token } } : {}),
		};
	}
	const key = optional(form.api_key);
	return {
		settings: {
			...stored,
			base_url: optional(form.base_url) ?? TWENTY_CLOUD_URL,
			opportunity: checkbox(form.opportunity) ? { stage: optional(form.stage) ?? null } : null,
		},
		...(key ? { secrets: { api_key: key } } : {}),
	};
}

interface CrmFormProps {
	id: number;
	csrf: string;
	/** Whether the company has one already (the secret may then be left blank). */
	exists: boolean;
	values: FormData;
	errors: FieldErrors;
}

/** A token or key: never filled in; once stored, optional (blank keeps it). */
const SecretField: FC<{
	id: string;
	name: string;
	label: string;
	exists: boolean;
	errors: FieldErrors;
	placeholder?: string;
}> = ({ id, name, label, exists, errors, placeholder }) => (
	<Field
		id={id}
		name={name}
		label={exists ? `${label} (optional)` : label}
		type="password"
		errors={errors}
		hint={exists ? "Leave blank to keep the stored one" : undefined}
		placeholder={placeholder}
		autocomplete="new-password"
		required={!exists}
	/>
);

const CheckField: FC<{
	id: string;
	name: string;
	label: string;
	values: FormData;
	errors: FieldErrors;
}> = ({ id, name, label, values, errors }) => (
	<>
		<label class="check" for={id}>
			<input id={id} type="checkbox" name={name} checked={values[name] !== undefined} />
			{label}
		</label>
		{errors[name] ? <span class="field-error">{errors[name]}</span> : null}
	</>
);

/** A kind's form: its heading (add or change), what it does, the fields, and its save button. */
const CrmFormFrame: FC<
	Pick<CrmFormProps, "id" | "csrf" | "exists" | "errors"> & {
		kind: CrmKind;
		about: string;
		children?: Child;
	}
> = ({ id, csrf, exists, errors, kind, about, children }) => {
	const label = destinationLabel(kind);
	return (
		<>
			<h3>{`${exists ? "Change" : "Add"} ${label}`}</h3>
			<p class="muted">{about}</p>
			<form class="stack" method="post" action={`/console/companies/${id}/destinations/${kind}`}>
				<Csrf token={csrf} />
				<FormErrors errors={errors} />
				{children}
				<button type="submit">{`Save ${label}`}</button>
			</form>
		</>
	);
};

export const HubSpotForm: FC<CrmFormProps> = ({ id, csrf, exists, values, errors }) => (
	<CrmFormFrame
		{...{ id, csrf, exists, errors }}
		kind="hubspot"
		about="Contacts are created or updated by email (then phone) with a private app's access token."
	>
		<SecretField
			id="hubspot-token"
			name="access_token"
			label="Access token"
			exists={exists}
			errors={errors}
			placeholder="pat-eu1-…"
		/>
		<Field
			id="hubspot-pipeline"
			name="pipeline"
			label="Deal pipeline (optional)"
			value={values.pipeline}
			errors={errors}
			hint="Internal id, e.g. default; blank creates no deal"
		/>
		<Field
			id="hubspot-stage"
			name="stage"
			label="Deal stage"
			value={values.stage}
			errors={errors}
			hint="Internal id, e.g. appointmentscheduled"
		/>
		<CheckField
			id="hubspot-owner"
			name="assign_owner"
			label="Make the assigned rep the contact's owner (by email)"
			values={values}
			errors={errors}
		/>
	</CrmFormFrame>
);

export const TwentyForm: FC<CrmFormProps> = ({ id, csrf, exists, values, errors }) => (
	<CrmFormFrame
		{...{ id, csrf, exists, errors }}
		kind="twenty"
		about="A Person is created or updated per lead, by email or phone."
	>
		<Field
			id="twenty-url"
			name="base_url"
			label="Base URL (optional)"
			value={values.base_url}
			errors={errors}
			placeholder={TWENTY_CLOUD_URL}
			hint="Blank for Twenty's cloud; a self-hosted server's https:// address"
		/>
		<SecretField id="twenty-key" name="api_key" label="API key" exists={exists} errors={errors} />
		<CheckField
			id="twenty-opportunity"
			name="opportunity"
			label="Create an Opportunity per lead"
			values={values}
			errors={errors}
		/>
		<Field
			id="twenty-stage"
			name="stage"
			label="Opportunity stage (optional)"
			value={values.stage}
			errors={errors}
			hint="e.g. NEW; blank for Twenty's default"
		/>
	</CrmFormFrame>
);
