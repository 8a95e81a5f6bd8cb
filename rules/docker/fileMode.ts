/**
 * A file's mode as the Docker provider writes it into its build-context digest: Go's `fs.FileMode.String()` of the
 * mode BuildKit's walker records (tonistiigi/fsutil `mkstat`: the socket bit cleared, and on Windows every file
 * `rwxr-xr-x` or `r-xr-xr-x`). pulumi/pulumi-docker `provider/provider.go` (`hashPath`) hashes this string with each
 * file's path and content, so two checkouts that differ only in permission bits (umask, chmod) get different digests
 * and the provider rebuilds. Pure.
 */

/** POSIX `st_mode` file-type bits (as Node's `fs.Stats.mode` carries them). */
const S_IFMT = 0o170000;
const TYPE = { dir: 0o040000, symlink: 0o120000, fifo: 0o010000, socket: 0o140000, char: 0o020000, block: 0o060000 } as const;

/**
 * Go's `FileMode.String()` for a POSIX mode: type and special letters in Go's order (`dalTLDpSugct?`, here
 * d, L, D, p, u, g, c, t; sockets dropped as BuildKit does), `-` when there are none, then `rwxrwxrwx`.
 * @example goFileModeString(0o100644) === "-rw-r--r--"; goFileModeString(0o120777) === "Lrwxrwxrwx"
 */
export function goFileModeString(mode: number, platform: NodeJS.Platform = "linux"): string {
    const type = mode & S_IFMT;
    let perm = mode & 0o777;
    if (platform === "win32") perm = (perm | 0o111) & 0o755; // fsutil: "make everything +x from windows"
    const letters = [
        type === TYPE.dir ? "d" : "",
        type === TYPE.symlink ? "L" : "",
        type === TYPE.char || type === TYPE.block ? "D" : "",
        type === TYPE.fifo ? "p" : "",
        mode & 0o4000 ? "u" : "",
        mode & 0o2000 ? "g" : "",
        type === TYPE.char ? "c" : "",
        mode & 0o1000 ? "t" : "",
    ].join("");
    const rwx = [...Array(9)].map((_, i) => (perm & (1 << (8 - i)) ? "rwx"[i % 3] : "-")).join("");
    return (letters || "-") + rwx;
}
