#!/usr/bin/env python3
"""Write the C# service's webhook bodies, from hand-written record layouts.

    python3 corpus/csharp/build.py OUT_DIR     # writes OUT_DIR/csharp-<release>/...

No C# was run to make these bodies. Each record below lists, by hand, the
properties of one C# record of src/ApiService/ApiService/ in declaration
order (PascalCase, as in the source), with the release that added or changed
each; the values come from corpus/values.py. This script only does what is
mechanical: the snake_case names (a port of CaseConverter.PascalToSnake), the
escaping of System.Text.Json's default encoder, and the digest.

What was read, at the release tags of the OneFuzz repository:
- OneFuzzTypes/Webhooks.cs: WebhookMessage, WebhookMessageEventGrid
- OneFuzzTypes/Events.cs: the event records, EventMessage, DownloadableEventMessage
- OneFuzzTypes/Model.cs: Error, UserInfo, StoredUserInfo, TaskConfig and its
  parts, JobConfig, Report, NoReproReport, CrashTestResult, RegressionReport,
  InstanceConfig; Utils.cs: TruncateUtils
- OneFuzzTypes/Enums.cs: ErrorCode ([SerializeValue]: a number), SkipRename enums
- onefuzzlib/WebhookOperations.cs: AddEvent (truncation), BuildMessage, Send
- onefuzzlib/orm/EntityConverter.cs (serializer options, EntityBase),
  orm/CaseConverter.cs, orm/CustomConverterFactory.cs (enums: snake_case names)
- onefuzzlib/ImageReference.cs (an image is written as its string form)

Serialization facts used: System.Text.Json on net7.0 with
PropertyNamingPolicy = snake_case, no Encoder (the default escaping), no
ignore condition (every null written), not indented. Properties of a derived
record come before those of its base (the serializer walks the type from the
most derived class up), and in declaration order within one class. A record
parameter with the name of an inherited property makes no new property.
"""

import datetime
import hashlib
import hmac
import json
import os
import sys
import typing

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import values as V  # noqa: E402

# Releases built, with the commit of their tag in microsoft/onefuzz.
RELEASES = {
    "6.0.0": "af806a326367f71b6e9ea3e7718213c6427086a0",
    "8.1.0": "22f06da339ba997ca3306d7d0019ae346f3d9122",
    "8.2.0": "041c50ce9a5ff610e94af6148176b38026c4526e",
    "8.5.0": "fac409a9215d877db034c709292aeb49d36f5b65",
    "8.9.0": "3bf0e8e99635fe820217591548272a7a632c0427",
}


def ver(text: str) -> typing.Tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


# ------------------------------------------------------------------ encoding


def pascal_to_snake(name: str) -> str:
    """Port of CaseConverter.PascalToSnake (same in 6.0.0 and 8.9.0)."""
    def indices():
        yield 0
        for i in range(1, len(name)):
            if name[i].isdigit():
                continue
            if i < len(name) - 1 and name[i + 1].isdigit():
                continue
            if name[i].isupper():
                if name[i - 1] == "_":
                    continue
                if i < len(name) - 1 and not name[i + 1].isupper():
                    yield i
                elif not name[i - 1].isupper():
                    yield i
        yield len(name)

    idx = list(indices())
    return "_".join(name[a:b].lower() for a, b in zip(idx, idx[1:]))


# Bytes System.Text.Json writes unescaped with its default encoder: printable
# ASCII except " & ' + < > \ and the backtick.
_PLAIN = set(range(0x20, 0x7F)) - {ord(c) for c in "\"&'+<>\\`"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "\b": "\\b", "\f": "\\f"}


def stj_string(text: str) -> str:
    out = ['"']
    for unit in _utf16_units(text):
        ch = chr(unit)
        if unit in _PLAIN:
            out.append(ch)
        elif ch in _SHORT:
            out.append(_SHORT[ch])
        else:
            out.append("\\u%04X" % unit)
    out.append('"')
    return "".join(out)


def _utf16_units(text: str) -> typing.Iterator[int]:
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        yield data[i] | (data[i + 1] << 8)


class Obj:
    """A JSON object whose keys are written in the given order."""

    def __init__(self, pairs: typing.Iterable[typing.Tuple[str, typing.Any]]):
        self.pairs = list(pairs)


class Raw:
    """A value written as is (used for pre-formatted datetimes)."""

    def __init__(self, text: str):
        self.text = text


def encode(value: typing.Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return stj_string(value)
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Obj):
        return "{" + ",".join(stj_string(k) + ":" + encode(v) for k, v in value.pairs) + "}"
    if isinstance(value, dict):  # Dictionary<string, string>: keys are not renamed
        return "{" + ",".join(stj_string(k) + ":" + encode(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(v) for v in value) + "]"
    raise TypeError(type(value))


def rec(props: typing.Iterable[typing.Tuple[str, typing.Any]]) -> Obj:
    """A record: (PascalName or "=json_name", value) pairs in declaration order."""
    return Obj((p[1:] if p.startswith("=") else pascal_to_snake(p), v) for p, v in props)


def from_dict(names: typing.Iterable[str], data: dict) -> typing.List[typing.Tuple[str, typing.Any]]:
    """Properties whose values come from a snake_case dict; absent ones are null."""
    return [(n, data.get(pascal_to_snake(n))) for n in names]


def dt_utc(moment: datetime.datetime, ticks: int, offset: bool) -> Raw:
    """A DateTime (Kind=Utc: `Z`) or DateTimeOffset (`+00:00`) as the
    serializer writes it: 0 to 7 fraction digits, trailing zeros dropped."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    frac = ("%07d" % ticks).rstrip("0")
    if frac:
        text += "." + frac
    return Raw('"' + text + ("+00:00" if offset else "Z") + '"')


# ------------------------------------------------------------------ records


class Release:
    def __init__(self, name: str):
        self.name = name
        self.v = ver(name)

    def at_least(self, text: str) -> bool:
        return self.v >= ver(text)

    # Model.cs ---------------------------------------------------------------

    def error(self, e: dict) -> Obj:
        props = [("Code", e["code"]), ("Errors", e["errors"])]
        if self.at_least("8.3.0"):  # `public string Title => Code.ToString();`
            props.append(("Title", e["title"]))
        return rec(props)

    def user_info(self) -> Obj:
        if self.at_least("8.6.0"):  # events carry StoredUserInfo(ApplicationId, ObjectId)
            return rec(from_dict(["ApplicationId", "ObjectId"], V.USER_INFO))
        return rec(from_dict(["ApplicationId", "ObjectId", "Upn"], V.USER_INFO))

    def task_details(self, d: dict) -> Obj:
        names = [
            "Type", "Duration", "TargetExe", "TargetEnv", "TargetOptions", "TargetWorkers",
            "TargetOptionsMerge", "CheckAsanLog", "CheckDebugger", "CheckRetryCount",
            "CheckFuzzerHelp", "ExpectCrashOnFailure", "RenameOutput", "SupervisorExe",
            "SupervisorEnv", "SupervisorOptions", "SupervisorInputMarker", "GeneratorExe",
            "GeneratorEnv", "GeneratorOptions", "AnalyzerExe", "AnalyzerEnv", "AnalyzerOptions",
            "WaitForFiles", "StatsFile", "StatsFormat", "RebootAfterSetup", "TargetTimeout",
            "EnsembleSyncDelay", "PreserveExistingOutputs", "ReportList", "MinimizedStackDepth",
        ]
        if self.at_least("8.5.0"):
            names.append("TaskEnv")
        names.append("CoverageFilter")
        if self.at_least("7.0.0"):
            names += ["ModuleAllowlist", "SourceAllowlist"]
        names += ["TargetAssembly", "TargetClass", "TargetMethod"]
        return rec(from_dict(names, d))

    def task_vm(self, vm: typing.Optional[dict]) -> typing.Optional[Obj]:
        if vm is None:
            return None
        # TaskVm(Region, Sku, Image, RebootAfterSetup, Count = 1, SpotInstance = false)
        return rec([("Region", vm["region"]), ("Sku", vm["sku"]), ("Image", vm["image"]),
                    ("RebootAfterSetup", vm["reboot_after_setup"]), ("Count", vm["count"]),
                    ("SpotInstance", vm["spot_instances"])])

    def task_config(self, c: dict) -> Obj:
        pool = c.get("pool")
        return rec([
            ("JobId", c["job_id"]),
            ("PrereqTasks", c.get("prereq_tasks")),
            ("Task", self.task_details(c["task"])),
            ("Vm", self.task_vm(c.get("vm"))),
            ("Pool", rec([("Count", pool["count"]), ("PoolName", pool["pool_name"])]) if pool else None),
            ("Containers", [rec([("Type", x["type"]), ("Name", x["name"])]) for x in c["containers"]]),
            ("Tags", c.get("tags")),
            ("Debug", c.get("debug")),
            ("Colocate", c.get("colocate")),
        ])

    def job_config(self) -> Obj:
        return rec(from_dict(["Project", "Name", "Build", "Duration", "Logs"], V.JOB_CONFIG))

    def report(self, r: dict, report_url: typing.Optional[str], extension: typing.Sequence = ()) -> Obj:
        names = [
            "InputUrl", "InputBlob", "Executable", "CrashType", "CrashSite", "CallStack",
            "CallStackSha256", "InputSha256", "AsanLog", "TaskId", "JobId", "ScarinessScore",
            "ScarinessDescription", "MinimizedStack", "MinimizedStackSha256",
            "MinimizedStackFunctionNames", "MinimizedStackFunctionNamesSha256",
            "MinimizedStackFunctionLines", "MinimizedStackFunctionLinesSha256",
        ]
        if self.at_least("6.4.0"):
            names += ["ToolName", "ToolVersion", "OnefuzzVersion", "ReportUrl"]
        # The agent's report blob has no input_url (onefuzz-task crash_report.rs),
        # so the C# Report read from it has InputUrl = null.
        data = dict(r, input_url=None, report_url=report_url)
        props = []
        for n in names:
            value = data.get(pascal_to_snake(n))
            if n == "InputBlob" and value is not None:
                value = rec(from_dict(["Account", "Container", "Name"], value))
            props.append((n, value))
        if extension:  # [JsonExtensionData] (8.1.0+): unknown blob fields, written last
            assert self.at_least("8.1.0")
            props += [("=" + k, v) for k, v in extension]
        return rec(props)

    def regression_report(self, crash: dict, original: dict, report_url: str) -> Obj:
        props = [
            ("CrashTestResult", rec([("CrashReport", self.report(crash, None)), ("NoReproReport", None)])),
            ("OriginalCrashTestResult", rec([("CrashReport", self.report(original, None)), ("NoReproReport", None)])),
        ]
        if self.at_least("6.4.0"):
            props.append(("ReportUrl", report_url))
        return rec(props)

    def instance_config(self) -> Obj:
        c = {
            "instance_name": V.INSTANCE_NAME,
            "admins": [V.OBJECT_ID],
            "allowed_aad_tenants": [V.uid("tenant")],
            "network_config": rec([("AddressSpace", "10.0.0.0/8"), ("Subnet", "10.0.0.0/16")]),
            "proxy_nsg_config": rec([("AllowedServiceTags", ["AzureCloud"]),
                                     ("AllowedIps", ["203.0.113.0/24"])]),
            "default_windows_vm_image": "MicrosoftWindowsDesktop:Windows-10:win10-21h2-pro:latest",
            "default_linux_vm_image": V.IMAGE,
            "proxy_vm_sku": "Standard_B2s",
            "require_admin_privileges": False,
            "vm_tags": {"cost-center": "fuzzing", "owner": "s\u00e9curit\u00e9"},
            "vmss_tags": {"cost-center": "fuzzing"},
        }
        props = from_dict([
            "InstanceName", "Admins", "AllowedAadTenants", "NetworkConfig", "ProxyNsgConfig",
            "Extensions", "DefaultWindowsVmImage", "DefaultLinuxVmImage", "ProxyVmSku",
            "RequireAdminPrivileges", "ApiAccessRules", "GroupMembership", "VmTags", "VmssTags",
        ], c)
        # InstanceConfig : EntityBase. EntityBase's timestamp (the table row's,
        # set on load) is serialized as "time_stamp" until 8.4, as "Timestamp"
        # in 8.5 ([JsonPropertyName]), and not at all from 8.6 ([JsonIgnore]).
        stamp = dt_utc(datetime.datetime(2023, 5, 2, 9, 41, 17), 4470721, offset=True)
        if not self.at_least("8.5.0"):
            props.append(("TimeStamp", stamp))
        elif not self.at_least("8.6.0"):
            props.append(("=Timestamp", stamp))
        return rec(props)

    # Events.cs --------------------------------------------------------------

    def scaleset_id(self) -> str:
        if not self.at_least("8.2.0"):
            return V.SCALESET_UUID  # Guid
        # ScalesetId from Scaleset.GenerateNewScalesetIdUsingGuid (8.2.0+): the pool
        # name with '_' -> '-', other invalid characters removed, at most 31 chars,
        # then '-' and the Guid in "N" format.
        name = "".join(ch for ch in V.POOL_NAME.replace("_", "-") if ch.isalnum() or ch == "-")
        name = name.strip("-")
        return name[:31] + "-" + V.SCALESET_UUID.replace("-", "")

    def events(self) -> typing.Dict[str, Obj]:
        ui = self.user_info()
        tc = self.task_config(V.TASK_CONFIG)
        sid = self.scaleset_id()
        task = [("JobId", V.JOB_ID), ("TaskId", V.TASK_ID)]
        unique_reports = V.CONTAINERS["unique_reports"]
        report_url = f"https://{V.STORAGE_ACCOUNT}.blob.core.windows.net/{unique_reports}/{V.REPORT_FILE}"
        regression_url = (f"https://{V.STORAGE_ACCOUNT}.blob.core.windows.net/"
                          f"{V.CONTAINERS['regression_reports']}/{V.REPORT_FILE}")
        end_time = dt_utc(datetime.datetime(2023, 10, 7, 17, 4, 5), 1234567, offset=True)
        job_created = [("JobId", V.JOB_ID), ("Config", self.job_config()), ("UserInfo", ui)]
        if self.at_least("8.9.0"):
            job_created.append(("OneFuzzVersion", self.name))
        heartbeat = list(task)
        if self.at_least("8.2.0"):
            heartbeat += [("Project", V.JOB_CONFIG["project"]), ("Name", V.JOB_CONFIG["name"]),
                          ("State", "running")]
        heartbeat.append(("Config", tc))
        node_heartbeat = [("MachineId", V.MACHINE_ID), ("ScalesetId", sid), ("PoolName", V.POOL_NAME)]
        if self.at_least("8.2.0"):
            node_heartbeat.append(("state", "busy"))
        report_task_config = self.task_config(V.REPORT_TASK_CONFIG)
        regression_task_config = self.task_config(dict(
            V.REPORT_TASK_CONFIG, tags={"project": "libpng"},
            task=dict(V.REPORT_TASK_CONFIG["task"], type="libfuzzer_regression")))
        regression_crash = dict(V.REPORT, task_id=V.TASK_ID_REGRESSION, asan_log=None,
                                minimized_stack_function_lines=None, call_stack=V.CALL_STACK[:8])
        regression_original = dict(V.REPORT, asan_log=None, minimized_stack_function_lines=None,
                                   call_stack=V.CALL_STACK[:6], minimized_stack_function_names=None)
        out = {
            "job_created": job_created,
            "job_stopped": [
                ("JobId", V.JOB_ID), ("Config", self.job_config()), ("UserInfo", ui),
                ("TaskInfo", [
                    rec([("TaskId", V.TASK_ID), ("TaskType", "libfuzzer_fuzz"), ("Error", None)]),
                    rec([("TaskId", V.TASK_ID_REPORT), ("TaskType", "libfuzzer_crash_report"),
                         ("Error", self.error(V.TASK_FAILED_ERROR))]),
                ]),
            ],
            "node_created": [("MachineId", V.MACHINE_ID), ("ScalesetId", sid), ("PoolName", V.POOL_NAME)],
            "node_deleted": [("MachineId", V.MACHINE_ID), ("ScalesetId", sid), ("PoolName", V.POOL_NAME),
                             ("MachineState", "halt")],
            "node_state_updated": [("MachineId", V.MACHINE_ID), ("ScalesetId", sid),
                                   ("PoolName", V.POOL_NAME), ("state", "busy")],
            "node_heartbeat": node_heartbeat,
            "ping": [("PingId", V.PING_ID)],
            "pool_created": [("PoolName", V.POOL_NAME), ("Os", "linux"), ("Arch", "x86_64"),
                             ("Managed", True)],
            "pool_deleted": [("PoolName", V.POOL_NAME)],
            "proxy_created": [("Region", V.REGION), ("ProxyId", V.PROXY_ID)],
            "proxy_deleted": [("Region", V.REGION), ("ProxyId", V.PROXY_ID)],
            "proxy_failed": [("Region", V.REGION), ("ProxyId", V.PROXY_ID),
                             ("Error", self.error(V.PROXY_ERROR))],
            "proxy_state_updated": [("Region", V.REGION), ("ProxyId", V.PROXY_ID), ("State", "running")],
            "scaleset_created": [("ScalesetId", sid), ("PoolName", V.POOL_NAME), ("VmSku", V.VM_SKU),
                                 ("Image", V.IMAGE), ("Region", V.REGION), ("Size", 5)],
            "scaleset_deleted": [("ScalesetId", sid), ("PoolName", V.POOL_NAME)],
            "scaleset_failed": [("ScalesetId", sid), ("PoolName", V.POOL_NAME),
                                ("Error", self.error(V.VM_ERROR))],
            "scaleset_state_updated": [("ScalesetId", sid), ("PoolName", V.POOL_NAME), ("State", "running")],
            "scaleset_resize_scheduled": [("ScalesetId", sid), ("PoolName", V.POOL_NAME), ("size", 8)],
            "task_created": task + [("Config", tc), ("UserInfo", ui)],
            "task_failed": task + [("Error", self.error(V.TASK_FAILED_ERROR)), ("UserInfo", ui),
                                   ("Config", tc)],
            "task_state_updated": task + [("State", "running"), ("EndTime", end_time), ("Config", tc)],
            "task_stopped": task + [("UserInfo", ui), ("Config", tc)],
            "task_heartbeat": heartbeat,
            "crash_reported": [("Report", self.report(V.REPORT, report_url)),
                               ("Container", unique_reports), ("=filename", V.REPORT_FILE),
                               ("TaskConfig", report_task_config)],
            "regression_reported": [
                ("RegressionReport", self.regression_report(regression_crash, regression_original,
                                                            regression_url)),
                ("Container", V.CONTAINERS["regression_reports"]), ("=filename", V.REPORT_FILE),
                ("TaskConfig", regression_task_config)],
            "file_added": [("Container", V.CONTAINERS["crashes"]), ("=filename", V.CRASH_FILE)],
            "instance_config_updated": [("Config", self.instance_config())],
        }
        if self.at_least("6.4.0"):
            out["notification_failed"] = [("NotificationId", V.NOTIFICATION_ID), ("JobId", V.JOB_ID),
                                          ("Error", self.error(V.NOTIFICATION_ERROR))]
        return {k: rec(v) for k, v in out.items()}

    def truncated_crash_reported(self) -> Obj:
        """A crash_reported whose WebhookMessageLog was too large for the table:
        AddEvent retries with Event.Truncate(1000) (8.2.0+: TruncateUtils;
        before, `Executable[..maxLength]` threw for any shorter string)."""
        assert self.at_least("8.2.0")
        big_log = V.ASAN_LOG + "".join(
            f"    #{i} 0x{0x500000 + i * 16:x} in png_handle_unknown_{i} /src/libpng/pngrutil.c:{2900 + i}\n"
            for i in range(12, 4000))
        big_stack = V.CALL_STACK + [f"#{i} 0x{0x500000 + i * 16:x} in png_handle_unknown_{i} "
                                    f"/src/libpng/pngrutil.c:{2900 + i}" for i in range(12, 4000)]

        def cut(s):  # TruncateUtils.TruncateString
            return None if s is None else s[:1000]

        def cut_list(items):  # TruncateUtils.TruncateList: keep while the running length <= 1000
            total, kept = 0, []
            for s in items:
                total += len(s)
                if total > 1000:
                    break
                kept.append(s)
            return kept

        r = dict(V.REPORT)
        for key in ("executable", "crash_type", "crash_site", "call_stack_sha256", "input_sha256",
                    "scariness_description", "minimized_stack_sha256",
                    "minimized_stack_function_names_sha256", "minimized_stack_function_lines_sha256",
                    "tool_name", "tool_version", "onefuzz_version"):
            r[key] = cut(r.get(key))
        r["asan_log"] = cut(big_log)
        r["call_stack"] = cut_list(big_stack)
        for key in ("minimized_stack", "minimized_stack_function_names", "minimized_stack_function_lines"):
            r[key] = cut_list(r[key])
        unique_reports = V.CONTAINERS["unique_reports"]
        report_url = f"https://{V.STORAGE_ACCOUNT}.blob.core.windows.net/{unique_reports}/{V.REPORT_FILE}"
        return rec([("Report", self.report(r, report_url)), ("Container", unique_reports),
                    ("=filename", V.REPORT_FILE), ("TaskConfig", self.task_config(V.REPORT_TASK_CONFIG))])

    def extension_crash_reported(self) -> Obj:
        """crash_reported whose report blob had fields the C# Report lacks;
        [JsonExtensionData] (8.1.0+) passes them through after report_url."""
        unique_reports = V.CONTAINERS["unique_reports"]
        report_url = f"https://{V.STORAGE_ACCOUNT}.blob.core.windows.net/{unique_reports}/{V.REPORT_FILE}"
        extension = [("crash_dump_sha256", V.hexdigest("crash dump")), ("exit_code", -6)]
        return rec([("Report", self.report(V.REPORT, report_url, extension)),
                    ("Container", unique_reports), ("=filename", V.REPORT_FILE),
                    ("TaskConfig", self.task_config(V.REPORT_TASK_CONFIG))])

    # Webhooks.cs, WebhookOperations.BuildMessage --------------------------------

    def event_id(self, event_type: str, variant: str = "") -> str:
        if event_type == "ping" and self.at_least("8.1.0"):
            return V.PING_ID  # WebhookOperations.Ping: EventMessage(ping.PingId, ...)
        return V.uid(f"event:{self.name}:{event_type}{variant}")

    def sas_url(self, event_id: str) -> str:
        # Containers.GetFileSasUrl on the "events" container (Azure SDK: the
        # signature is percent-encoded, so this query has `&` but no `+`).
        return (f"https://{V.STORAGE_ACCOUNT}.blob.core.windows.net/events/{event_id}"
                "?sv=2021-08-06&se=2023-10-06T18%3A04%3A05Z&sr=b&sp=r"
                "&sig=7yX3%2BkqL0pZ%2FvH9m2cT4eRw1sNbQ6uJ8oI5aF0gDhE%3D")

    def envelope(self, event_type: str, event: Obj, event_id: str) -> Obj:
        created_at = dt_utc(datetime.datetime(2023, 10, 6, 17, 4, 5), 1234567, offset=False)
        props = [("WebhookId", V.WEBHOOK_ID)]  # WebhookMessage's own property
        if self.at_least("8.1.0"):  # DownloadableEventMessage
            props.append(("SasUrl", self.sas_url(event_id)))
            if self.at_least("8.5.0"):
                props.append(("ExpiresOn", None))  # BuildMessage never passes it
        props += [("EventId", event_id), ("EventType", event_type), ("Event", event),
                  ("InstanceId", V.INSTANCE_ID), ("InstanceName", V.INSTANCE_NAME)]
        if self.at_least("8.1.0"):
            props += [("CreatedAt", created_at), ("Version", "1.0")]
        return rec(props)

    def event_grid(self, event_type: str, event: Obj, event_id: str) -> typing.List[Obj]:
        event_time = dt_utc(datetime.datetime(2023, 10, 6, 17, 4, 9), 6543210, offset=True)
        v2 = self.at_least("8.5.0")
        props = [("=dataVersion", "2.0.0" if v2 else "1.0.0"), ("Subject", V.INSTANCE_NAME),
                 ("=EventType", event_type), ("=eventTime", event_time), ("Id", event_id),
                 ("Data", self.envelope(event_type, event, event_id) if v2 else event)]
        if self.at_least("8.1.0") and not v2:
            props += [("SasUrl", self.sas_url(event_id)), ("Version", "1.0")]
        return [rec(props)]


# ------------------------------------------------------------------ output

# Event types written in the Event Grid form as well, per release.
GRID_TYPES = ["task_created", "crash_reported", "job_stopped", "node_heartbeat", "ping",
              "task_failed", "scaleset_created"]


def digest(body: bytes) -> str:
    # Convert.ToHexString(HMACSHA512(UTF8(secret)).ComputeHash(UTF8(body))),
    # sent as digest.ToLowerInvariant() (from 5.15.0, #2471).
    return hmac.new(V.SECRET.encode("utf-8"), body, hashlib.sha512).hexdigest()


def sources(release: str) -> str:
    commit = RELEASES[release]
    files = ["OneFuzzTypes/Webhooks.cs", "OneFuzzTypes/Events.cs", "OneFuzzTypes/Model.cs",
             "onefuzzlib/WebhookOperations.cs"]
    return ("hand-written from wire.md, checked against "
            + ", ".join(f"src/ApiService/ApiService/{f}@{commit[:10]}" for f in files))


def notes_for(rel: Release, event_type: str) -> str:
    notes = []
    if event_type == "instance_config_updated" and not rel.at_least("8.6.0"):
        notes.append("config ends with EntityBase's table timestamp ("
                     + ("time_stamp" if not rel.at_least("8.5.0") else "Timestamp") + ")")
    if event_type == "regression_reported":
        notes.append("both crash test results reproduced, so no_repro_report is null; had one not, "
                     "it would be null too: the C# CrashTestResult reads `no_repro_report`, the "
                     "agent writes `no_repro` (onefuzz-task crash_report.rs)")
    if event_type in ("scaleset_created", "node_heartbeat") and rel.at_least("8.2.0"):
        notes.append("scaleset_id is a ScalesetId string (<pool name>-<32 hex>)")
    return "; ".join(notes)


def build(out_root: str) -> int:
    for name in RELEASES:
        rel = Release(name)
        base = os.path.join(out_root, f"csharp-{name}")
        entries = []

        def write(fmt: str, file_name: str, event_type: str, body: bytes, notes: str) -> None:
            os.makedirs(os.path.join(base, fmt), exist_ok=True)
            with open(os.path.join(base, fmt, file_name), "wb") as fh:
                fh.write(body)
            entries.append({
                "path": f"bodies/csharp-{name}/{fmt}/{file_name}",
                "sender": "csharp",
                "release": name,
                "format": fmt,
                "event_type": event_type,
                "digest": digest(body),
                "secret": V.SECRET,
                "source": sources(name),
                "notes": notes,
            })

        events = rel.events()
        for event_type, event in events.items():
            event_id = rel.event_id(event_type)
            body = encode(rel.envelope(event_type, event, event_id)).encode("utf-8")
            write("webhook", f"{event_type}.json", event_type, body, notes_for(rel, event_type))
            if event_type in GRID_TYPES:
                body = encode(rel.event_grid(event_type, event, event_id)).encode("utf-8")
                write("event_grid", f"{event_type}.json", event_type, body, notes_for(rel, event_type))
        if rel.at_least("8.2.0"):
            event_id = rel.event_id("crash_reported", ":truncated")
            body = encode(rel.envelope("crash_reported", rel.truncated_crash_reported(), event_id))
            write("webhook", "crash_reported-truncated.json", "crash_reported", body.encode("utf-8"),
                  "event truncated by WebhookOperations.AddEvent (Truncate(1000)): asan_log and other "
                  "strings cut to 1000 chars, call_stack and minimized stacks cut to a total of "
                  "1000 chars; input_url, report_url and task_config untouched")
        if rel.at_least("8.1.0"):
            event_id = rel.event_id("crash_reported", ":extension")
            body = encode(rel.envelope("crash_reported", rel.extension_crash_reported(), event_id))
            write("webhook", "crash_reported-extension-data.json", "crash_reported",
                  body.encode("utf-8"),
                  "report has two fields unknown to the C# Report (crash_dump_sha256, exit_code), "
                  "as a report blob from another tool would; [JsonExtensionData] writes them after "
                  "report_url. The stock agent of these releases writes no such field.")
        with open(os.path.join(base, "INDEX.json"), "w", encoding="utf-8") as fh:
            json.dump(entries, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(build(sys.argv[1]))
