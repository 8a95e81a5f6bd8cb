/**
 * Rewrites the figures in README.md between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`
 * from the repository itself, so prose never drifts from what the code does. `npm run readme`
 * writes them; tests/readme-figures.test.ts fails when README.md differs from what this would write.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** The programs of tests/corpus (folders with a Pulumi.yaml), which the suite plans. */
export function corpusPrograms(root = ROOT): string[] {
    const dir = path.join(root, "tests", "corpus");
    return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "Pulumi.yaml"))).sort();
}

/** One generator per block name. */
export const FIGURES: Record<string, () => string | Promise<string>> = {
    "corpus-count": () => String(corpusPrograms().length),
};

/** README text with every generated block rewritten; unknown block names are an error. */
export async function rewriteReadme(text: string): Promise<string> {
    const blocks = /<!-- generated:([\w-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g;
    let out = "";
    let last = 0;
    for (const match of text.matchAll(blocks)) {
        const figure = FIGURES[match[1]];
        if (!figure) throw new Error(`README.md: no generator for block "${match[1]}" (known: ${Object.keys(FIGURES).join(", ")})`);
        out += `${text.slice(last, match.index)}<!-- generated:${match[1]} -->${await figure()}<!-- /generated:${match[1]} -->`;
        last = match.index! + match[0].length;
    }
    return out + text.slice(last);
}

if (require.main === module) {
    const file = path.join(ROOT, "README.md");
    rewriteReadme(fs.readFileSync(file, "utf8")).then((text) => fs.writeFileSync(file, text), (err) => {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(1);
    });
}
