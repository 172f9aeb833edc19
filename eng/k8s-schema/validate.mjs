// Usage: node validate.mjs FILE.yaml...  Checks every document of each file against the Kubernetes schema of its
// kind (batch/v1 Job only: what `dotnet nuggets jobs k8s` writes). Exits 1 naming the file and the fields at fault.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { Job } from "kubernetes-models/batch/v1/Job";

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (doc?.apiVersion !== "batch/v1" || doc?.kind !== "Job") {
      console.error(`${file}: ${doc?.apiVersion}/${doc?.kind} is not a batch/v1 Job`);
      failed = true;
      continue;
    }
    try {
      new Job(doc).validate();
      console.log(`${file}: Job ${doc.metadata.name} is valid`);
    } catch (error) {
      console.error(`${file}: Job ${doc.metadata?.name}: ${error.message}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
