/** Fixed places in the repository, so a test's location in the folder tree does not change what it reads. */
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");
export const SKLEARN_FIXTURES = join(REPO_ROOT, "test", "fixtures", "sklearn");
export const NOTEBOOKS_DIR = join(REPO_ROOT, "notebooks");
export const LIB_DIR = join(REPO_ROOT, "lib");
