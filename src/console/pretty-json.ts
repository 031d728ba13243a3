// Payloads as an operator reads them: JSON indented two spaces, token by token, so nothing is
// parsed or re-serialised (TikTok's 19-digit ids stay exactly as received). Text that is not JSON
// comes back as it was; the page's <pre> wraps long lines.

const INDENT = "  ";

/** `text` re-indented when it looks like JSON (an object or array), else unchanged. */
export function prettyJson(text: string): string {
	const trimmed = text.trim();
	if (!/^[[{]/.test(trimmed)) return text;
	let out = "";
	let depth = 0;
	let inString = false;
	for (let i = 0; i < trimmed.length; i++) {
		const ch = trimmed.charAt(i);
		if (inString) {
			out += ch;
			if (ch === "\\") out += trimmed.charAt(++i);
			else if (ch === '"') inString = false;
			continue;
		}
		if (ch === '"') {
			inString = true;
			out += ch;
		} else if (ch === "{" || ch === "[") {
			const close = ch === "{" ? "}" : "]";
			const next = nextToken(trimmed, i + 1);
			if (trimmed.charAt(next) === close) {
				out += ch + close;
				i = next;
			} else {
				depth++;
				out += `${ch}\n${INDENT.repeat(depth)}`;
			}
		} else if (ch === "}" || ch === "]") {
			depth = Math.max(0, depth - 1);
			out += `\n${INDENT.repeat(depth)}${ch}`;
		} else if (ch === ",") {
			out += `,\n${INDENT.repeat(depth)}`;
		} else if (ch === ":") {
			out += ": ";
		} else if (!/\s/.test(ch)) {
			out += ch;
		}
	}
	return inString ? text : out;
}

/** Index of the next character that is not whitespace. */
function nextToken(text: string, from: number): number {
	let i = from;
	while (i < text.length && /\s/.test(text.charAt(i))) i++;
	return i;
}
