// Field-name matching: case, spaces, '_', '-', '.' and a trailing '?' or ':' do not matter.
import { describe, it } from "vitest";
import { extractContact, normaliseFieldName } from "../../src/leads/fields";

const answer = (name: string, ...values: string[]) => ({ name, values });

describe("normaliseFieldName", () => {
	it("folds case and punctuation", ({ expect }) => {
		expect(normaliseFieldName(" E-mail Address: ")).toBe("emailaddress");
		expect(normaliseFieldName("Phone_Number?")).toBe("phonenumber");
		expect(normaliseFieldName("full.name")).toBe("fullname");
	});
});

describe("extractContact", () => {
	it("finds synonyms of name, email and phone", ({ expect }) => {
		const contact = extractContact([
			answer("Your Name", "Ana Ruiz"),
			answer("EMAIL_ADDRESS", "Ana@Example.com"),
			answer("WhatsApp number", "+971501234567"),
			answer("Mobile", "+971509999999"),
		]);
		expect(contact).toEqual({
			fullName: "Ana Ruiz",
			email: "ana@example.com",
			phones: ["+971501234567", "+971509999999"],
		});
	});

	it("joins first and last name, or gives null when there is neither", ({ expect }) => {
		expect(extractContact([answer("Given name", "Ana"), answer("Surname", "Ruiz")]).fullName).toBe(
			"Ana Ruiz",
		);
		expect(extractContact([answer("Family name", "Ruiz")]).fullName).toBe("Ruiz");
		expect(extractContact([answer("city", "Dubai")])).toEqual({
			fullName: null,
			email: null,
			phones: [],
		});
	});

	it("skips blank values", ({ expect }) => {
		expect(extractContact([answer("name", "  "), answer("first_name", "Ana")]).fullName).toBe(
			"Ana",
		);
	});
});
