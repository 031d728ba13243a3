// First step of `npm run dev`: gives a fresh clone a .dev.vars (local secrets) from .dev.vars.example.
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".dev.vars")) {
	copyFileSync(".dev.vars.example", ".dev.vars");
	console.log("Created .dev.vars from .dev.vars.example (local-only secrets).");
}
