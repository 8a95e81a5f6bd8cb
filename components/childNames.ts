/** Pure naming rule for children created once per entry of a list argument (services, grants). */

/**
 * The child name of the `index`-th entry: the first keeps the plain name (so a stack that had one
 * entry keeps its resources), later ones get `-2`, `-3`, … Names follow list positions: append new
 * entries at the end, or earlier children are renamed and replaced.
 * @example nthName("ci-deploy-production-run-developer", 1) === "ci-deploy-production-run-developer-2"
 */
export function nthName(base: string, index: number): string {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`list index must be a whole number ≥ 0, got ${index}`);
    return index === 0 ? base : `${base}-${index + 1}`;
}
