// The outbound URL guard: public https hosts pass; private, loopback, link-local and local names,
// plain http and credentials are refused; loopback http only with the local-development allowance.
import { describe, it } from "vitest";
import { checkOutboundUrl } from "../../src/security/outbound-url";

const refusal = (url: string) => {
	const check = checkOutboundUrl(url);
	return check.ok ? "allowed" : check.reason;
};

describe("checkOutboundUrl", () => {
	it("allows https to public hosts", ({ expect }) => {
		for (const url of [
			"https://hooks.slack.com/services/T000/B000/XXXX",
			"https://api.example.com:8443/leads?x=1",
			"https://8.8.8.8/hook",
			"https://[2606:4700::1111]/hook",
		]) {
			expect(refusal(url), url).toBe("allowed");
		}
	});

	it("refuses private, loopback, link-local and local targets, and plain http", ({ expect }) => {
		expect(refusal("https://10.0.0.1/hook")).toBe("must point at a public host (private)");
		expect(refusal("https://172.20.1.1/")).toBe("must point at a public host (private)");
		expect(refusal("https://192.168.1.10/")).toBe("must point at a public host (private)");
		expect(refusal("https://169.254.169.254/latest/meta-data")).toBe(
			"must point at a public host (link-local)",
		);
		expect(refusal("https://127.0.0.1/")).toBe("must point at a public host (loopback)");
		expect(refusal("https://0x7f.1/")).toBe("must point at a public host (loopback)");
		expect(refusal("https://2130706433/")).toBe("must point at a public host (loopback)");
		expect(refusal("https://[::1]/")).toBe("must point at a public host (loopback)");
		expect(refusal("https://[fd00::5]/")).toBe("must point at a public host (private)");
		expect(refusal("https://[fe80::1]/")).toBe("must point at a public host (link-local)");
		expect(refusal("https://[::ffff:10.0.0.1]/")).toBe("must point at a public host (private)");
		expect(refusal("https://localhost/")).toBe("must point at a public host (localhost)");
		expect(refusal("https://api.localhost/")).toBe("must point at a public host (localhost)");
		expect(refusal("https://printer.local/")).toBe("must point at a public host (a local name)");
		expect(refusal("https://intranet/")).toBe("must point at a public host (a local name)");
		expect(refusal("http://api.example.com/hook")).toBe("must be an https:// URL");
		expect(refusal("ftp://api.example.com/")).toBe("must be an https:// URL");
		expect(refusal("https://user:pw@api.example.com/")).toBe("must not carry a user or password");
		expect(refusal("not a url")).toBe("is not a URL");
	});

	it("allows http on 127.0.0.1 and localhost only with the local-development allowance", ({
		expect,
	}) => {
		expect(refusal("http://127.0.0.1:9000/hook")).toBe("must be an https:// URL");
		const local = { allowLoopbackHttp: true };
		expect(checkOutboundUrl("http://127.0.0.1:9000/hook", local).ok).toBe(true);
		expect(checkOutboundUrl("http://localhost:9000/hook", local).ok).toBe(true);
		expect(checkOutboundUrl("http://10.0.0.1/hook", local).ok).toBe(false);
		expect(checkOutboundUrl("https://127.0.0.1/hook", local).ok).toBe(false);
	});
});
