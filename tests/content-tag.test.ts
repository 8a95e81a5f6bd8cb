/**
 * Issue #30 item 5: the image's content tag changes whenever the Docker provider's context digest does (paths,
 * file modes, contents and symlink targets of what `.dockerignore` keeps, and the Dockerfile), so an IMMUTABLE ECR
 * repository never sees a different image pushed under a tag it already holds.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentTag } from "../components/docker";
import { goFileModeString } from "../rules/docker/fileMode";

type Tree = Record<string, { content: string; mode: number }>;

/** Writes a context (Dockerfile included) with exact permission bits (chmod after write: the umask never leaks in). */
function checkout(files: Tree, dockerignore?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-ctx-"));
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY . /app\n");
    if (dockerignore !== undefined) fs.writeFileSync(path.join(dir, ".dockerignore"), dockerignore);
    for (const [name, file] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), file.content);
        fs.chmodSync(path.join(dir, name), file.mode);
    }
    return dir;
}
const tagOf = (dir: string) => contentTag(dir, path.join(dir, "Dockerfile"));
const dirs: string[] = [];
const made = (files: Tree, dockerignore?: string) => {
    const dir = checkout(files, dockerignore);
    dirs.push(dir);
    return dir;
};
after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("image content tags follow the Docker provider's context digest", () => {
    it("Go's FileMode.String() of the modes BuildKit records (sockets without their bit, Windows files +x)", () => {
        expect(goFileModeString(0o100644)).to.equal("-rw-r--r--");
        expect(goFileModeString(0o100664)).to.equal("-rw-rw-r--");
        expect(goFileModeString(0o100755)).to.equal("-rwxr-xr-x");
        expect(goFileModeString(0o120777)).to.equal("Lrwxrwxrwx");
        expect(goFileModeString(0o040755)).to.equal("drwxr-xr-x");
        expect(goFileModeString(0o041777)).to.equal("dtrwxrwxrwx");
        expect(goFileModeString(0o104755)).to.equal("urwxr-xr-x");
        expect(goFileModeString(0o102755)).to.equal("grwxr-xr-x");
        expect(goFileModeString(0o020666)).to.equal("Dcrw-rw-rw-");
        expect(goFileModeString(0o060660)).to.equal("Drw-rw----");
        expect(goFileModeString(0o010644)).to.equal("prw-r--r--");
        expect(goFileModeString(0o140755)).to.equal("-rwxr-xr-x");
        expect(goFileModeString(0o100644, "win32")).to.equal("-rwxr-xr-x");
        expect(goFileModeString(0o100444, "win32")).to.equal("-r-xr-xr-x");
    });

    it("two checkouts differing only in permission bits (umask 002 vs 022, chmod +x) get different tags; identical ones the same", () => {
        const files: Tree = { "server.js": { content: "listen()", mode: 0o644 }, "lib/db.js": { content: "pg", mode: 0o644 } };
        const base = tagOf(made(files));
        expect(base).to.match(/^src-[0-9a-f]{12}$/);
        expect(tagOf(made(files)), "same sources in another folder").to.equal(base);
        expect(tagOf(made({ ...files, "lib/db.js": { content: "pg", mode: 0o664 } })), "umask 002").not.to.equal(base);
        expect(tagOf(made({ ...files, "server.js": { content: "listen()", mode: 0o755 } })), "chmod +x").not.to.equal(base);
    });

    it("property: any mode or content change of a kept file changes the tag, and rebuilding the same tree keeps it", () => {
        const mode = fc.constantFrom(0o644, 0o664, 0o600, 0o755, 0o775);
        const tree = fc.dictionary(fc.stringMatching(/^[a-c]{1,2}(\/[a-c]{1,2})?\.txt$/), fc.record({ content: fc.string(), mode }), {
            minKeys: 1,
            maxKeys: 5,
        });
        fc.assert(
            fc.property(tree, fc.nat(), mode, (files, pick, newMode) => {
                const names = Object.keys(files).filter((n) => !Object.keys(files).some((o) => o.startsWith(`${n}/`)));
                fc.pre(names.length > 0);
                const name = names[pick % names.length];
                fc.pre(newMode !== files[name].mode);
                const before = tagOf(made(files));
                expect(tagOf(made(files))).to.equal(before);
                expect(tagOf(made({ ...files, [name]: { ...files[name], mode: newMode } }))).not.to.equal(before);
                expect(tagOf(made({ ...files, [name]: { ...files[name], content: `${files[name].content}!` } }))).not.to.equal(before);
            }),
            { numRuns: 20 },
        );
    });

    it("what .dockerignore leaves out never moves the tag; what it keeps (node_modules, .git when not ignored) does", () => {
        const files: Tree = { "server.js": { content: "a", mode: 0o644 }, "node_modules/x/index.js": { content: "1", mode: 0o644 } };
        const ignored = tagOf(made(files, "node_modules\n# comment\n"));
        expect(tagOf(made({ ...files, "node_modules/x/index.js": { content: "2", mode: 0o755 } }, "node_modules\n# comment\n"))).to.equal(
            ignored,
        );
        const kept = tagOf(made(files));
        expect(
            tagOf(made({ ...files, "node_modules/x/index.js": { content: "2", mode: 0o644 } })),
            "the provider hashes node_modules",
        ).not.to.equal(kept);
        // An exception re-includes a file under an ignored directory, as Docker does.
        const withException = "node_modules\n!node_modules/x/index.js\n";
        expect(tagOf(made({ ...files, "node_modules/x/index.js": { content: "2", mode: 0o644 } }, withException))).not.to.equal(
            tagOf(made(files, withException)),
        );
        // A wildcard exception can reach into any ignored directory; one naming another path cannot.
        const deep = { ...files, "node_modules/a/keep.txt": { content: "1", mode: 0o644 } };
        const changedDeep = { ...deep, "node_modules/a/keep.txt": { content: "2", mode: 0o644 } };
        expect(tagOf(made(changedDeep, "node_modules\n!**/keep.txt\n"))).not.to.equal(tagOf(made(deep, "node_modules\n!**/keep.txt\n")));
        expect(tagOf(made(changedDeep, "**\n!server.js\n"))).to.equal(tagOf(made(deep, "**\n!server.js\n")));
    });

    it("<Dockerfile>.dockerignore takes precedence over the context's .dockerignore; the Dockerfile's content counts", () => {
        const dir = made({ "keep.txt": { content: "a", mode: 0o644 }, "drop.txt": { content: "b", mode: 0o644 } }, "keep.txt\n");
        const before = tagOf(dir);
        fs.writeFileSync(path.join(dir, "Dockerfile.dockerignore"), "drop.txt\n");
        const own = tagOf(dir);
        expect(own).not.to.equal(before);
        fs.writeFileSync(path.join(dir, "drop.txt"), "changed");
        expect(tagOf(dir), "drop.txt is ignored by the Dockerfile's own file").to.equal(own);
        fs.writeFileSync(path.join(dir, "keep.txt"), "changed");
        expect(tagOf(dir), "keep.txt is kept").not.to.equal(own);
        fs.appendFileSync(path.join(dir, "Dockerfile"), "USER 10001\n");
        expect(tagOf(dir)).not.to.equal(own);
    });

    it("a symlink is hashed by its target path: pointing it elsewhere changes the tag", function () {
        if (process.platform === "win32") this.skip();
        const dir = made({ "a.txt": { content: "same", mode: 0o644 }, "b.txt": { content: "same", mode: 0o644 } });
        fs.symlinkSync("a.txt", path.join(dir, "current"));
        const before = tagOf(dir);
        fs.rmSync(path.join(dir, "current"));
        fs.symlinkSync("b.txt", path.join(dir, "current"));
        expect(tagOf(dir)).not.to.equal(before);
    });
});
