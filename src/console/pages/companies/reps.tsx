// The Sales reps card of a company's page (the reps, each with its switch, and "Add rep") and the
// POSTs that add a rep and deactivate or activate one.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { employeeCreateBody, employeePatchBody } from "../../../http/schemas/employees";
import { addEmployee } from "../../../operator/actions";
import { operatorContext } from "../../../operator/context";
import { type Employee, getEmployee, updateEmployee } from "../../../storage/employees";
import { type ConsoleEnv, done } from "../../console-env";
import { actionErrors, check, nullable, pathId, textFields } from "../../forms";
import { Badge, Csrf, Empty, Field, FormErrors } from "../../layout";
import {
	companyId,
	errorsOf,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";
import { Toggle } from "./toggle";

export const Reps: FC<{ id: number; reps: Employee[]; csrf: string; state?: FormState }> = ({
	id,
	reps,
	csrf,
	state,
}) => (
	<section class="card" aria-labelledby="reps">
		<h2 id="reps">Sales reps</h2>
		{reps.length === 0 ? (
			<Empty>No reps: leads stay unassigned.</Empty>
		) : (
			<ul>
				{reps.map((rep) => (
					<li class="actions">
						<span dir="auto">{rep.name}</span>
						{rep.email ? (
							<span class="muted" dir="auto">
								{rep.email}
							</span>
						) : null}
						{rep.isActive ? null : <Badge status="inactive" />}
						<Toggle
							action={`/console/companies/${id}/reps/${rep.id}`}
							csrf={csrf}
							field="is_active"
							on={rep.isActive}
							name={rep.name}
						/>
					</li>
				))}
			</ul>
		)}
		<form class="stack" method="post" action={`/console/companies/${id}/reps`}>
			<Csrf token={csrf} />
			<FormErrors errors={errorsOf(state, "rep")} />
			<Field
				id="rep-name"
				name="name"
				label="Rep name"
				value={valuesOf(state, "rep", {}).name}
				errors={errorsOf(state, "rep")}
				required
			/>
			<Field
				id="rep-email"
				name="email"
				label="Rep email (optional)"
				type="email"
				value={valuesOf(state, "rep", {}).email}
				errors={errorsOf(state, "rep")}
			/>
			<button type="submit">Add rep</button>
		</form>
	</section>
);

export function repRoutes(companyPage: RenderCompanyPage) {
	return new Hono<ConsoleEnv>()
		.post("/:id/reps", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = check(employeeCreateBody, {
				company_id: id,
				name: values.name ?? "",
				email: nullable(values.email),
			});
			if (!checked.ok) return companyPage(c, id, { form: "rep", values, errors: checked.errors });
			try {
				const rep = await addEmployee(operatorContext(c), {
					companyId: id,
					name: checked.data.name,
					email: checked.data.email,
				});
				return done(c, `/console/companies/${id}`, `Rep ${rep.name} added.`);
			} catch (error) {
				return companyPage(c, id, { form: "rep", values, errors: actionErrors(error) });
			}
		})
		.post("/:id/reps/:repId", async (c) => {
			const id = companyId(c);
			const repId = pathId(c, "repId");
			const values = textFields(await c.req.parseBody());
			const checked = check(employeePatchBody, { is_active: values.is_active === "true" });
			const rep = await getEmployee(c.var.db, repId);
			if (!checked.ok || !rep || rep.companyId !== id) {
				return done(c, `/console/companies/${id}`, "No such rep.", "error");
			}
			await updateEmployee(c.var.db, rep.id, { isActive: checked.data.is_active });
			const state = checked.data.is_active ? "active again" : "deactivated";
			return done(c, `/console/companies/${id}`, `Rep ${rep.name} ${state}.`);
		});
}
