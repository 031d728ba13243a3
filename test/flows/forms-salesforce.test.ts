// Website leads are forwarded to Salesforce like any other: a forms-created client gets its forward
// row in the creating batch and is sent in waitUntil; an updated client is not sent again.
import { describe, it } from "vitest";
import { clientRows, seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { postForm } from "../support/forms";
import { forwardRows, forwardsSettled, putConnection } from "../support/salesforce";

describe("website forms → Salesforce", () => {
	it("forwards a new webform client once, and not again when the person resubmits", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Northwind Dental", defaultCountry: "AE" });
		expect((await putConnection(companyId)).status).toBe(201);
		const fake = new FakeSalesforce().install();

		const first = await postForm(companyId, {
			name: "Lina Saleh",
			email: "lina@example.com",
			message: "Call me",
		});
		const again = await postForm(companyId, { email: "lina@example.com", phone: "0507654321" });

		expect(await first.json()).toMatchObject({ outcome: "created" });
		expect(await again.json()).toMatchObject({ outcome: "updated" });
		await forwardsSettled(companyId);
		const [client] = await clientRows({ companyId });
		expect(await forwardRows(companyId)).toEqual([
			expect.objectContaining({ client_id: client?.id, status: "succeeded" }),
		]);
		const calls = fake.dataCalls();
		expect(calls).toHaveLength(1);
		expect(JSON.parse(calls[0]?.body ?? "")).toMatchObject({
			LastName: "Lina Saleh",
			Email: "lina@example.com",
		});
	});
});
