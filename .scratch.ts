import * as path from "path";
import { nonRootImages, baseImageUsers } from "./policy/policies";
import { checkPolicy } from "./tests/helpers/policyRun";
import { checkDockerfile } from "./policy/lib/dockerfile";
import * as fs from "fs";
(async () => {
  const image: any = { type: "docker:index/image:Image", name: "app", props: { imageName: "r/app:1", build: { context: ".", dockerfile: "no-user.Dockerfile" } } };
  const config = { dockerfileRoot: path.resolve("tests/fixtures/policy-corpus/dockerfiles") };
  for (let k = 0; k < 3; k++) {
    let t = Date.now();
    for (let i = 0; i < 20; i++) await checkPolicy(nonRootImages, [image], { config });
    console.log("checkPolicy x20", Date.now() - t);
    t = Date.now();
    const c = fs.readFileSync("tests/fixtures/policy-corpus/dockerfiles/no-user.Dockerfile", "utf8");
    for (let i = 0; i < 20; i++) checkDockerfile(c);
    console.log("checkDockerfile x20", Date.now() - t);
  }
})();
