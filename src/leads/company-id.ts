// `?company_id=N` of a webhook URL (also stored with a form's failed submission for replay).

export type CompanyIdParam =
	| { ok: true; value: number | undefined }
	| { ok: false; reason: string };

/** Absent is fine; anything but a positive integer is a reason to log. */
export function readCompanyId(raw: string | undefined): CompanyIdParam {
	if (raw === undefined || raw === "") return { ok: true, value: undefined };
	return /^\d{1,15}$/.test(raw) && Number(raw) > 0
		? { ok: true, value: Number(raw) }
		: { ok: false, reason: "invalid company_id" };
}
