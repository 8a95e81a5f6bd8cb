import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "./helpers/plans";

/** Every .ts file of the library. */
function libraryFiles(dir = path.join(ROOT, "components")): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? libraryFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

const isExported = (node: ts.Node) => (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
const docOf = (node: ts.Node) =>
    ts
        .getJSDocCommentsAndTags(node)
        .map((d) => d.getText())
        .join("\n");

describe("library documentation", () => {
    const files = libraryFiles().map((file) => ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true));

    it("every argument of every exported component has a doc comment, and optional ones a @default", () => {
        const missing: string[] = [];
        for (const sf of files) {
            sf.forEachChild((node) => {
                if (!ts.isInterfaceDeclaration(node) || !isExported(node) || !node.name.text.endsWith("Args")) return;
                for (const member of node.members) {
                    if (!ts.isPropertySignature(member)) continue;
                    const where = `${path.relative(ROOT, sf.fileName)} ${node.name.text}.${member.name.getText()}`;
                    const doc = docOf(member);
                    if (doc === "") missing.push(`${where}: no doc comment`);
                    else if (member.questionToken && !doc.includes("@default")) missing.push(`${where}: optional without @default`);
                }
            });
        }
        expect(missing).to.deep.equal([]);
    });

    it("every exported component has a doc comment with an @example", () => {
        const missing: string[] = [];
        for (const sf of files) {
            sf.forEachChild((node) => {
                if (!ts.isClassDeclaration(node) || !isExported(node) || !node.name) return;
                const extendsComponent = node.heritageClauses?.some((h) => h.getText().includes("ComponentResource"));
                if (extendsComponent && !docOf(node).includes("@example"))
                    missing.push(`${path.relative(ROOT, sf.fileName)} ${node.name.text}`);
            });
        }
        expect(missing).to.deep.equal([]);
    });
});
