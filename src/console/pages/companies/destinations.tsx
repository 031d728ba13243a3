// The destinations card of a company's page: each destination (Salesforce, webhook...) with its state
// and forward counts, "Send a test" and "Switch off"; and the forms that add or edit the signed
// webhook, HubSpot and Twenty, checked by the API's own schemas (operator/destinations.ts), errors
// next to each field.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { FC } from "hono/jsx";
import { destinationLabel } from "../../../forwarders/destination";
import type { destinationJson } from "../../../http/schemas/destinations";
import { operatorContext } from "../../../operator/context";
import {
	saveDestination,
	switchOffDestination,
	testDestination,
} from "../../../operator/destinations";
import { getDestination } from "../../../storage/destinations";
import { type ConsoleContext, type ConsoleEnv, done } from "../../console-env";
import { actionErrors, optional, textFields } from "../../forms";
import { Csrf, Empty, Field, type FieldErrors, FormErrors, when } from "../../layout";
import {
	companyId,
	errorsOf,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";
import {
	type CrmKind,
	crmFormBody,
	crmFormValues,
	HubSpotForm,
	TwentyForm,
} from "./crm-destination-forms";

type DestinationJson = ReturnType<typeof destinationJson>;

const CRM_KINDS: CrmKind[] = ["hubspot", "twenty"];
const CRM_SAVED: Record<CrmKind, string> = {
	hubspot: "HubSpot saved.",
	twenty: "Twenty saved.",
};

const STATE_BADGE: Record<string, string> = { on: "success", waiting: "retry", off: "failure" };

function countsText(counts: Record<string, number>): string {
	const entries = Object.entries(counts);
	return entries.length === 0 ? "none yet" : entries.map(([s, n]) => `${n} ${s}`).join(", ");
}

const DestinationRow: FC<{ id: number; destination: DestinationJson; csrf: string }> = ({
	id,
	destination: d,
	csrf,
}) => (
	<li>
		<h3>{destinationLabel(d.kind)}</h3>
		<dl class="facts">
			<dt>State</dt>
			<dd>
				<span class={`badge ${STATE_BADGE[d.state] ?? "failure"}`}>{d.state}</span>
				{d.state_reason ? ` (${d.state_reason}, ${when(d.state_changed_at)})` : ""}
			</dd>
			{typeof d.settings.url === "string" ? (
				<>
					<dt>URL</dt>
					<dd>{d.settings.url}</dd>
				</>
			) : null}
			{typeof d.settings.base_url === "string" ? (
				<>
					<dt>Base URL</dt>
					<dd>{d.settings.base_url}</dd>
				</>
			) : null}
			<dt>Forwards</dt>
			<dd>{countsText(d.forwards)}</dd>
		</dl>
		<div class="actions">
			<form method="post" action={`/console/companies/${id}/destinations/${d.kind}/test`}>
				<Csrf token={csrf} />
				<button
					type="submit"
					class="secondary"
					aria-label={`Send a test to ${destinationLabel(d.kind)}`}
				>
					Send a test
				</button>
			</form>
			{d.state === "off" ? null : (
				<form method="post" action={`/console/companies/${id}/destinations/${d.kind}/off`}>
					<Csrf token={csrf} />
					<button
						type="submit"
						class="secondary"
						aria-label={`Switch off ${destinationLabel(d.kind)}`}
					>
						Switch off
					</button>
				</form>
			)}
		</div>
	</li>
);

export const Destinations: FC<{
	id: number;
	destinations: DestinationJson[];
	csrf: string;
	state?: FormState;
}> = ({ id, destinations, csrf, state }) => {
	const webhook = destinations.find((d) => d.kind === "webhook");
	const errors = errorsOf(state, "destination");
	const url = typeof webhook?.settings.url === "string" ? webhook.settings.url : "";
	return (
		<section class="card" aria-labelledby="destinations">
			<h2 id="destinations">Destinations</h2>
			{destinations.length === 0 ? (
				<Empty>No destinations: this company's leads are only stored here.</Empty>
			) : (
				<ul class="groups">
					{destinations.map((destination) => (
						<DestinationRow id={id} destination={destination} csrf={csrf} />
					))}
				</ul>
			)}
			<h3>{webhook ? "Change the signed webhook" : "Add a signed webhook"}</h3>
			<p class="muted">
				Each lead is POSTed as JSON (schema leadwire.lead.v1) with Standard Webhooks signature
				headers. Saving switches it back on.
			</p>
			<form class="stack" method="post" action={`/console/companies/${id}/destinations/webhook`}>
				<Csrf token={csrf} />
				<FormErrors errors={errors} />
				<Field
					id="dest-url"
					name="url"
					label="HTTPS URL"
					value={valuesOf(state, "destination", { url }).url}
					errors={errors}
					placeholder="https://crm.example.com/hooks/leadwire"
					required
				/>
				<Field
					id="dest-secret"
					name="signing_secret"
					label="Signing secret (optional)"
					type="password"
					errors={errors}
					hint={
						webhook
							? "Leave blank to keep the stored one"
							: "Leave blank and Leadwire makes one (shown once)"
					}
					autocomplete="new-password"
				/>
				<button type="submit">Save webhook</button>
			</form>
			{CRM_KINDS.map((kind) => {
				const stored = destinations.find((d) => d.kind === kind);
				const Form = kind === "hubspot" ? HubSpotForm : TwentyForm;
				return (
					<Form
						id={id}
						csrf={csrf}
						exists={stored !== undefined}
						values={valuesOf(state, kind, crmFormValues(kind, stored?.settings))}
						errors={errorsOf(state, kind)}
					/>
				);
			})}
		</section>
	);
};

/** An action's 400 as form errors by the field's own name (`settings.url` → `url`). */
function fieldErrors(error: unknown): FieldErrors {
	if (error instanceof HTTPException && error.status === 400) {
		const cause = error.cause;
		if (cause && typeof cause === "object" && "issues" in cause && Array.isArray(cause.issues)) {
			const errors: FieldErrors = {};
			for (const issue of cause.issues as { path: PropertyKey[]; message: string }[]) {
				const field = issue.path.length > 0 ? String(issue.path.at(-1)) : "_form";
				errors[field] ??= issue.message;
			}
			return errors;
		}
	}
	return actionErrors(error);
}

export function destinationRoutes(companyPage: RenderCompanyPage) {
	const back = (id: number) => `/console/companies/${id}`;
	/** Saves the HubSpot or Twenty form through the API's schemas; a 400 shows it again. */
	async function saveCrm(c: ConsoleContext, kind: CrmKind) {
		const id = companyId(c);
		const values = textFields(await c.req.parseBody());
		const existing = await getDestination(c.var.db, id, kind);
		try {
			await saveDestination(
				operatorContext(c),
				id,
				kind,
				crmFormBody(kind, values, existing?.settings),
			);
			return done(c, back(id), CRM_SAVED[kind]);
		} catch (error) {
			// The secret typed is not shown again, even next to its error.
			const { access_token: _token, api_key: _key, ...shown } = values;
			return companyPage(c, id, { form: kind, values: shown, errors: fieldErrors(error) });
		}
	}

	return new Hono<ConsoleEnv>()
		.post("/:id/destinations/webhook", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const url = values.url?.trim() ?? "";
			const secret = optional(values.signing_secret);
			const existing = await getDestination(c.var.db, id, "webhook");
			try {
				const saved = await saveDestination(operatorContext(c), id, "webhook", {
					// Settings the form does not show keep what the API set.
					settings: { ...(existing?.settings ?? {}), url },
					...(secret ? { secrets: { signing_secret: secret } } : {}),
				});
				const generated = saved.generatedSecrets?.signing_secret;
				return done(
					c,
					back(id),
					generated
						? `Webhook saved. Its signing secret, shown this once: ${generated}`
						: "Webhook saved.",
				);
			} catch (error) {
				return companyPage(c, id, {
					form: "destination",
					values: { url },
					errors: fieldErrors(error),
				});
			}
		})
		.post("/:id/destinations/hubspot", (c) => saveCrm(c, "hubspot"))
		.post("/:id/destinations/twenty", (c) => saveCrm(c, "twenty"))
		.post("/:id/destinations/:kind/test", async (c) => {
			const id = companyId(c);
			const kind = c.req.param("kind");
			try {
				const result = await testDestination(operatorContext(c), id, kind);
				const label = destinationLabel(kind);
				return result.ok
					? done(c, back(id), `${label} test: ${result.detail}`)
					: done(c, back(id), `${label} test failed: ${result.detail}`, "error");
			} catch (error) {
				return done(c, back(id), actionErrors(error)._form ?? "Not tested", "error");
			}
		})
		.post("/:id/destinations/:kind/off", async (c) => {
			const id = companyId(c);
			const kind = c.req.param("kind");
			try {
				await switchOffDestination(operatorContext(c), id, kind);
				return done(c, back(id), `${destinationLabel(kind)} switched off: new leads are not sent.`);
			} catch (error) {
				return done(c, back(id), actionErrors(error)._form ?? "Not switched off", "error");
			}
		});
}
