"""Realistic, fixed field values shared by the Python generator and the C# body
builder, so that the same job, task, report, ... appears in every sender's
bodies.

Plain data only (snake_case keys, JSON-compatible values): each sender's code
picks the fields its release's models define and encodes them its own way.
Nothing here is random at run time: ids are derived from fixed labels.
"""

import hashlib
import uuid

# The secret every digest in the corpus is keyed with (UTF-8 encoded; the
# non-ASCII letters make a wrong encoding of the key show up as a mismatch).
SECRET = "corpus-test-secret-\u00e9t\u00e9-2023"


def uid(label: str) -> str:
    """A uuid4-shaped id derived from a label (stable across runs)."""
    raw = bytearray(hashlib.sha256(label.encode("utf-8")).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(raw)))


def hexdigest(label: str) -> str:
    return hashlib.sha256(label.encode("utf-8")).hexdigest()


INSTANCE_NAME = "onefuzz-contoso-prod"
INSTANCE_ID = uid("instance")
WEBHOOK_ID = uid("webhook")
JOB_ID = uid("job")
TASK_ID = uid("task:libfuzzer_fuzz")
TASK_ID_REPORT = uid("task:libfuzzer_crash_report")
TASK_ID_REGRESSION = uid("task:libfuzzer_regression")
MACHINE_ID = uid("machine")
SCALESET_UUID = uid("scaleset")
PROXY_ID = uid("proxy")
NOTIFICATION_ID = uid("notification")
PING_ID = uid("ping")
APP_ID = uid("app:onefuzz-cli")
OBJECT_ID = uid("object:alice")

POOL_NAME = "linux_ubuntu-20.04"
REGION = "westus2"
STORAGE_ACCOUNT = "fuzzcontoso3kq7"
IMAGE = "Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest"
VM_SKU = "Standard_D2s_v3"

CONTAINERS = {
    "setup": "oft-setup-" + JOB_ID.replace("-", "")[:24],
    "crashes": "oft-crashes-" + JOB_ID.replace("-", "")[:24],
    "inputs": "oft-inputs-" + JOB_ID.replace("-", "")[:24],
    "readonly_inputs": "oft-seeds-libpng-1-6-39",
    "reports": "oft-reports-" + JOB_ID.replace("-", "")[:24],
    "unique_reports": "oft-unique-reports-" + JOB_ID.replace("-", "")[:20],
    "no_repro": "oft-no-repro-" + JOB_ID.replace("-", "")[:24],
    "regression_reports": "oft-regression-reports-" + JOB_ID.replace("-", "")[:16],
}

CRASH_SHA = hexdigest("crash input bytes")
CRASH_FILE = "crash-" + hexdigest("crash file")[:40]
REPORT_FILE = CRASH_SHA + ".json"


def sas(container: str, blob: str, expiry: str = "2023-10-13T17%3A04%3A05Z") -> str:
    """A read-only blob SAS URL with the characters that need escaping:
    `&` between parameters, `+` and `/` inside the base64 signature."""
    sig = "pQ0r+7kVh1Wc8p/3Xn+Zt2kq5M9c6eYbL1o4+HgVw0s%3D"
    return (
        f"https://{STORAGE_ACCOUNT}.blob.core.windows.net/{container}/{blob}"
        f"?se={expiry}&sp=r&spr=https&sv=2021-08-06&sr=b&sig={sig}"
    )


USER_INFO = {"application_id": APP_ID, "object_id": OBJECT_ID, "upn": "alice@contoso.com"}

JOB_CONFIG = {
    "project": "libpng",
    "name": "png_read_fuzzer \u2013 Z\u00fcrich nightly",
    "build": "1.6.39-ci.4821",
    "duration": 24,
    "logs": f"https://{STORAGE_ACCOUNT}.blob.core.windows.net/logs-{JOB_ID}",
}

TARGET_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:allocator_may_return_null=1:handle_abort=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    "LANG": "C.UTF-8",
}

TASK_DETAILS = {
    "type": "libfuzzer_fuzz",
    "duration": 24,
    "target_exe": "fuzz/png_read_fuzzer",
    "target_env": TARGET_ENV,
    "target_options": [
        "-max_len=65536",
        "-dict=png.dict",
        "-use_value_profile=1",
        "-artifact_prefix=\"crashes/\"",
    ],
    "target_workers": 4,
    "target_options_merge": False,
    "check_asan_log": False,
    "check_debugger": True,
    "check_retry_count": 3,
    "check_fuzzer_help": True,
    "expect_crash_on_failure": False,
    "rename_output": False,
    "reboot_after_setup": False,
    "target_timeout": 30,
    "ensemble_sync_delay": 60,
    "preserve_existing_outputs": False,
    "minimized_stack_depth": 10,
}

TASK_CONFIG = {
    "job_id": JOB_ID,
    "prereq_tasks": [uid("task:prereq-coverage")],
    "task": TASK_DETAILS,
    "pool": {"count": 2, "pool_name": POOL_NAME},
    "containers": [
        {"type": "setup", "name": CONTAINERS["setup"]},
        {"type": "crashes", "name": CONTAINERS["crashes"]},
        {"type": "inputs", "name": CONTAINERS["inputs"]},
        {"type": "readonly_inputs", "name": CONTAINERS["readonly_inputs"]},
    ],
    "tags": {
        "project": "libpng",
        "owner": "fuzzing-team",
        "language": "c++",
        "build-url": "https://ci.contoso.com/job/libpng?build=4821&branch=main",
        "\u00e9quipe": "s\u00e9curit\u00e9",
    },
    "debug": ["keep_node_on_failure"],
    "colocate": True,
}

CALL_STACK = [
    "#0 0x4f7a21 in png_read_filter_row_paeth_multibyte_pixel /src/libpng/pngrutil.c:4147:25",
    "#1 0x4f5c10 in png_read_filter_row /src/libpng/pngrutil.c:4180:7",
    "#2 0x4e1b3f in png_read_row /src/libpng/pngread.c:601:10",
    "#3 0x4e2d84 in png_read_rows /src/libpng/pngread.c:664:13",
    "#4 0x4e3a11 in png_read_image /src/libpng/pngread.c:751:10",
    "#5 0x4c9e02 in LLVMFuzzerTestOneInput /src/libpng/contrib/oss-fuzz/libpng_read_fuzzer.cc:156:3",
    "#6 0x4a1c6d in fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long) /src/llvm-project/compiler-rt/lib/fuzzer/FuzzerLoop.cpp:611:15",
    "#7 0x48c472 in fuzzer::RunOneTest(fuzzer::Fuzzer*, char const*, unsigned long) /src/llvm-project/compiler-rt/lib/fuzzer/FuzzerDriver.cpp:324:6",
    "#8 0x491f8e in fuzzer::FuzzerDriver(int*, char***, int (*)(unsigned char const*, unsigned long)) /src/llvm-project/compiler-rt/lib/fuzzer/FuzzerDriver.cpp:860:9",
    "#9 0x4bb2c2 in main /src/llvm-project/compiler-rt/lib/fuzzer/FuzzerMain.cpp:20:10",
    "#10 0x7f3c2a1b0082 in __libc_start_main /build/glibc-SzIz7B/glibc-2.31/csu/../csu/libc-start.c:308:16",
    "#11 0x41f9ed in _start",
]
MINIMIZED_STACK = [
    "png_read_filter_row_paeth_multibyte_pixel pngrutil.c:4147",
    "png_read_filter_row pngrutil.c:4180",
    "png_read_row pngread.c:601",
    "png_read_rows pngread.c:664",
    "png_read_image pngread.c:751",
]
MINIMIZED_FUNCTION_NAMES = [
    "png_read_filter_row_paeth_multibyte_pixel",
    "png_read_filter_row",
    "png_read_row",
    "png_read_rows",
    "png_read_image",
]
MINIMIZED_FUNCTION_LINES = [
    "png_read_filter_row_paeth_multibyte_pixel pngrutil.c:4147",
    "png_read_filter_row pngrutil.c:4180",
    "png_read_row pngread.c:601",
    "png_read_rows pngread.c:664",
    "png_read_image pngread.c:751",
]

ASAN_LOG = (
    "=================================================================\n"
    "==1873==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6110000002c4 "
    "at pc 0x0000004f7a21 bp 0x7ffd4b1d3f30 sp 0x7ffd4b1d3f28\n"
    "READ of size 1 at 0x6110000002c4 thread T0\n"
    + "\n".join("    " + frame for frame in CALL_STACK[:6])
    + "\n    ..."
    + "\n\nSUMMARY: AddressSanitizer: heap-buffer-overflow /src/libpng/pngrutil.c:4147:25 "
    "in png_read_filter_row_paeth_multibyte_pixel\n"
)

REPORT = {
    "input_url": sas(CONTAINERS["crashes"], CRASH_FILE),
    "input_blob": {
        "account": STORAGE_ACCOUNT,
        "container": CONTAINERS["crashes"],
        "name": CRASH_FILE,
    },
    "executable": "setup/fuzz/png_read_fuzzer",
    "crash_type": "heap-buffer-overflow",
    "crash_site": "AddressSanitizer: heap-buffer-overflow /src/libpng/pngrutil.c:4147:25 in png_read_filter_row_paeth_multibyte_pixel",
    "call_stack": CALL_STACK,
    "call_stack_sha256": hexdigest("call stack"),
    "input_sha256": CRASH_SHA,
    "asan_log": ASAN_LOG,
    "task_id": TASK_ID_REPORT,
    "job_id": JOB_ID,
    "scariness_score": 45,
    "scariness_description": "1-byte-read-heap-buffer-overflow",
    "minimized_stack": MINIMIZED_STACK,
    "minimized_stack_sha256": hexdigest("minimized stack"),
    "minimized_stack_function_names": MINIMIZED_FUNCTION_NAMES,
    "minimized_stack_function_names_sha256": hexdigest("minimized function names"),
    "minimized_stack_function_lines": MINIMIZED_FUNCTION_LINES,
    "minimized_stack_function_lines_sha256": hexdigest("minimized function lines"),
    "tool_name": "libfuzzer",
    "tool_version": "12.0.1",
}

NO_REPRO = {
    "input_sha256": CRASH_SHA,
    "input_blob": REPORT["input_blob"],
    "executable": "setup/fuzz/png_read_fuzzer",
    "task_id": TASK_ID_REGRESSION,
    "job_id": JOB_ID,
    "tries": 5,
    "error": None,
}

TASK_FAILED_ERROR = {
    "title": "TASK_FAILED",
    "code": 468,
    "errors": [
        "task failed. exit_status:ExitStatus { code: Some(1), signal: None, success: false }",
        "INFO: Seed: 3127741893\nINFO: Loaded 1 modules   (10893 inline 8-bit counters)\n"
        "==1873==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000",
        "stderr: \"fuzz/png_read_fuzzer: error while loading shared libraries: libz.so.1\"",
    ],
}

VM_ERROR = {
    "title": "VM_CREATE_FAILED",
    "code": 461,
    "errors": [
        "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.",
    ],
}

PROXY_ERROR = {
    "title": "PROXY_FAILED",
    "code": 472,
    "errors": ["failed to launch proxy extension: provisioning state 'Failed'"],
}

NOTIFICATION_ERROR = {
    "title": "NOTIFICATION_FAILURE",
    "code": 470,
    "errors": ["Failed to process ADO notification: TF401019: the Git repository 'libpng' does not exist or you do not have permissions"],
}

# The crash-report task runs on a dedicated VM rather than a pool, so its
# config carries a `vm` (TaskVm) section.
REPORT_TASK_CONFIG = dict(
    TASK_CONFIG,
    task=dict(TASK_DETAILS, type="libfuzzer_crash_report", target_workers=None),
    vm={"region": REGION, "sku": VM_SKU, "image": IMAGE, "count": 1,
        "spot_instances": False, "reboot_after_setup": False},
    pool=None,
    containers=[
        {"type": "setup", "name": CONTAINERS["setup"]},
        {"type": "crashes", "name": CONTAINERS["crashes"]},
        {"type": "reports", "name": CONTAINERS["reports"]},
        {"type": "unique_reports", "name": CONTAINERS["unique_reports"]},
        {"type": "no_repro", "name": CONTAINERS["no_repro"]},
    ],
)
