/* Embedding Zhiping from C through interpreter/zhiping.h: load a policy folder, evaluate one JSON
 * record, print the report JSON (which holds the findings).
 *   zhiping_embed_c [POLICY] RECORD.json   (POLICY defaults to policies/zhengzhou-2024 of the source tree)
 * Exit status as `zhiping check`: 0 pass, 1 fail, 2 the policy did not load, 3 invalid input. */
#include <stdio.h>
#include <stdlib.h>

#include "interpreter/zhiping.h"

#ifndef ZHIPING_SOURCE_DIR
#define ZHIPING_SOURCE_DIR "."
#endif

static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf = NULL;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = (char*)malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
      buf[size] = '\0';
      *len = (size_t)size;
    } else {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

int main(int argc, char** argv) {
  const char* policy_path = ZHIPING_SOURCE_DIR "/policies/zhengzhou-2024";
  const char* record_path;
  char* diagnostics = NULL;
  char* report = NULL;
  char* json;
  size_t len = 0;
  zp_policy* policy;
  int rc;

  if (argc == 3) {
    policy_path = argv[1];
    record_path = argv[2];
  } else if (argc == 2) {
    record_path = argv[1];
  } else {
    fprintf(stderr, "usage: zhiping_embed_c [POLICY] RECORD.json\n");
    return 64;
  }

  printf("zhiping %s\n", zp_version());
  policy = zp_load_dir(policy_path, &diagnostics);
  if (diagnostics) fputs(diagnostics, stderr); /* errors, or warnings of a policy that loaded */
  zp_string_free(diagnostics);
  if (!policy) return 2;

  json = read_file(record_path, &len);
  if (!json) {
    fprintf(stderr, "cannot read %s\n", record_path);
    zp_policy_free(policy);
    return 3;
  }
  rc = zp_evaluate(policy, json, len, &report);
  if (rc == ZP_PASS || rc == ZP_FAIL) {
    printf("decision: %s\n%s\n", rc == ZP_PASS ? "pass" : "fail", report);
  } else {
    fprintf(stderr, "%s\n", report ? report : "evaluation failed");
  }
  zp_string_free(report);
  free(json);
  zp_policy_free(policy);
  return rc == ZP_PASS || rc == ZP_FAIL ? rc : 3;
}
