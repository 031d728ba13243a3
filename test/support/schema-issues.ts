// A zod safeParse's issues as "path: message" lines, for tests of a schema's error wording.

export function issueLines(result: {
	success: boolean;
	error?: { issues: { path: PropertyKey[]; message: string }[] };
}): string[] {
	return (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}
