#!/usr/bin/env python3
"""Write the webhook bodies the Python OneFuzz service would have POSTed.

Run with the interpreter of a venv that has exactly one `onefuzztypes`
release installed (see requirements-<release>.txt); regen.sh does that.

    python generate.py OUT_DIR            # a real sender: the service's path
    python generate.py --models-only OUT_DIR

For every event class the installed package defines (the members of the
`Event` union in `onefuzztypes.events`; for 1.x, of the `WebhookEvent` union in
`onefuzztypes.webhooks`) it builds one event from `corpus/values.py`, passes it
through the steps the service of that release took, and writes

    OUT_DIR/webhook/<event_type>.json       (every release)
    OUT_DIR/event_grid/<event_type>.json    (releases with WebhookMessageEventGrid)
    OUT_DIR/INDEX.json                      (manifest entries for those files)

The service's steps, as read in src/api-service/__app__/onefuzzlib/ of each
release tag (webhooks.py, orm.py, events.py):

1. `Webhook._add_event` builds a `WebhookMessageLog` from the event and saves it
   to a table: `ORMMixin.save` stores `json.loads(self.json(by_alias=True,
   exclude_none=True))`, nested models as JSON strings.
2. The "webhooks" queue handler re-reads it: `ORMMixin.load` json-decodes the
   nested columns and calls `WebhookMessageLog.parse_obj`. The `event` field
   is a Union, so pydantic keeps the first member class that validates.
3. `build_message` serializes `WebhookMessage(...)` with
   `.json(sort_keys=True, exclude_none=True)`, or, for an event_grid webhook,
   `json.dumps([json.loads(WebhookMessageEventGrid(...).json(sort_keys=True,
   exclude_none=True))])`, and signs the bytes with HMAC-SHA512 (hexdigest).

With --models-only (used for onefuzztypes 8.9.0, whose service was C#), steps
1-2 are skipped and only the `WebhookMessage` form is written; such bodies
were never sent by any service.
"""

import datetime
import hashlib
import hmac
import inspect
import json
import os
import re
import sys
import typing

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import pydantic  # noqa: E402
from pydantic import BaseModel  # noqa: E402

import values as V  # noqa: E402

try:
    import onefuzztypes.events as EVENTS
except ImportError:  # 1.x: the webhook event classes live in webhooks.py
    EVENTS = None
import onefuzztypes.webhooks as WEBHOOKS  # noqa: E402
from onefuzztypes.__version__ import __version__ as RELEASE  # noqa: E402

# Fixed times. Naive ones are what `datetime.utcnow()` gave the service.
TASK_END_TIME = datetime.datetime(2022, 11, 15, 17, 4, 5, 123456)
EVENT_GRID_TIME = datetime.datetime(2022, 11, 14, 17, 4, 9, 654321, tzinfo=datetime.timezone.utc)


def event_payloads() -> typing.Dict[str, dict]:
    """One realistic event per event type, as a superset of the fields any
    release defines; fields a release does not know are dropped later."""
    task = {"job_id": V.JOB_ID, "task_id": V.TASK_ID}
    report_task_config = V.REPORT_TASK_CONFIG
    return {
        "job_created": {"job_id": V.JOB_ID, "config": V.JOB_CONFIG, "user_info": V.USER_INFO},
        "job_stopped": {
            "job_id": V.JOB_ID,
            "config": V.JOB_CONFIG,
            "user_info": V.USER_INFO,
            "task_info": [
                {"task_id": V.TASK_ID, "task_type": "libfuzzer_fuzz"},
                {"task_id": V.TASK_ID_REPORT, "task_type": "libfuzzer_crash_report",
                 "error": V.TASK_FAILED_ERROR},
            ],
        },
        "node_created": {"machine_id": V.MACHINE_ID, "scaleset_id": V.SCALESET_UUID,
                         "pool_name": V.POOL_NAME},
        "node_deleted": {"machine_id": V.MACHINE_ID, "scaleset_id": V.SCALESET_UUID,
                         "pool_name": V.POOL_NAME},
        "node_state_updated": {"machine_id": V.MACHINE_ID, "scaleset_id": V.SCALESET_UUID,
                               "pool_name": V.POOL_NAME, "state": "busy"},
        "node_heartbeat": {"machine_id": V.MACHINE_ID, "scaleset_id": V.SCALESET_UUID,
                           "pool_name": V.POOL_NAME, "machine_state": "busy"},
        "ping": {"ping_id": V.PING_ID},
        "pool_created": {
            "pool_name": V.POOL_NAME, "os": "linux", "arch": "x86_64", "managed": True,
            "autoscale": {"image": V.IMAGE, "max_size": 20, "min_size": 1, "region": V.REGION,
                          "scaleset_size": 5, "spot_instances": False,
                          "ephemeral_os_disks": True, "vm_sku": V.VM_SKU},
        },
        "pool_deleted": {"pool_name": V.POOL_NAME},
        "proxy_created": {"region": V.REGION, "proxy_id": V.PROXY_ID},
        "proxy_deleted": {"region": V.REGION, "proxy_id": V.PROXY_ID},
        "proxy_failed": {"region": V.REGION, "proxy_id": V.PROXY_ID, "error": V.PROXY_ERROR},
        "proxy_state_updated": {"region": V.REGION, "proxy_id": V.PROXY_ID, "state": "running"},
        "scaleset_created": {"scaleset_id": V.SCALESET_UUID, "pool_name": V.POOL_NAME,
                             "vm_sku": V.VM_SKU, "image": V.IMAGE, "region": V.REGION, "size": 5},
        "scaleset_deleted": {"scaleset_id": V.SCALESET_UUID, "pool_name": V.POOL_NAME},
        "scaleset_failed": {"scaleset_id": V.SCALESET_UUID, "pool_name": V.POOL_NAME,
                            "error": V.VM_ERROR},
        "scaleset_state_updated": {"scaleset_id": V.SCALESET_UUID, "pool_name": V.POOL_NAME,
                                   "state": "running"},
        "scaleset_resize_scheduled": {"scaleset_id": V.SCALESET_UUID, "pool_name": V.POOL_NAME,
                                      "size": 8},
        "task_created": dict(task, config=V.TASK_CONFIG, user_info=V.USER_INFO),
        "task_failed": dict(task, error=V.TASK_FAILED_ERROR, user_info=V.USER_INFO,
                            config=V.TASK_CONFIG),
        "task_state_updated": dict(task, state="running", end_time=TASK_END_TIME,
                                   config=V.TASK_CONFIG),
        "task_stopped": dict(task, user_info=V.USER_INFO, config=V.TASK_CONFIG),
        "task_heartbeat": dict(task, config=V.TASK_CONFIG),
        "crash_reported": {"report": V.REPORT, "container": V.CONTAINERS["unique_reports"],
                           "filename": V.REPORT_FILE, "task_config": report_task_config},
        "regression_reported": {
            "regression_report": {
                "crash_test_result": {"crash_report": dict(
                    V.REPORT, task_id=V.TASK_ID_REGRESSION, asan_log=None, input_url=None,
                    minimized_stack_function_lines=None, call_stack=V.CALL_STACK[:8])},
                "original_crash_test_result": {"crash_report": dict(
                    V.REPORT, asan_log=None, minimized_stack_function_lines=None,
                    call_stack=V.CALL_STACK[:6], input_url=None,
                    minimized_stack_function_names=None)},
            },
            "container": V.CONTAINERS["regression_reports"],
            "filename": V.REPORT_FILE,
            "task_config": dict(report_task_config, tags={"project": "libpng"},
                                task=dict(report_task_config["task"], type="libfuzzer_regression")),
        },
        "file_added": {"container": V.CONTAINERS["crashes"], "filename": V.CRASH_FILE},
        "instance_config_updated": {
            "config": {
                "admins": [V.OBJECT_ID],
                "require_admin_privileges": False,
                "allowed_aad_tenants": [V.uid("tenant")],
                "network_config": {"address_space": "10.0.0.0/8", "subnet": "10.0.0.0/16"},
                "proxy_nsg_config": {"allowed_service_tags": ["AzureCloud"],
                                     "allowed_ips": ["203.0.113.0/24"]},
                "default_windows_vm_image": "MicrosoftWindowsDesktop:Windows-10:win10-21h2-pro:latest",
                "default_linux_vm_image": V.IMAGE,
                "proxy_vm_sku": "Standard_B2s",
                "vm_tags": {"cost-center": "fuzzing", "owner": "s\u00e9curit\u00e9"},
                "vmss_tags": {"cost-center": "fuzzing"},
            }
        },
    }


# ---------------------------------------------------------------- the models


def event_classes() -> typing.List[typing.Tuple[str, typing.Type[BaseModel]]]:
    """(event_type, class) for each member of the package's event union."""
    if EVENTS is not None:
        by_class = {cls: et.value for et, cls in EVENTS.EventTypeMap.items()}
        return [(by_class[cls], cls) for cls in typing.get_args(EVENTS.Event)]
    # 1.x: WebhookEventTaskCreated -> task_created (names of WebhookEventType)
    out = []
    for cls in typing.get_args(WEBHOOKS.WebhookEvent):
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__[len("WebhookEvent"):]).lower()
        out.append((WEBHOOKS.WebhookEventType(name).value, cls))
    return out


def model_of(field) -> typing.Optional[typing.Type[BaseModel]]:
    t = field.type_
    return t if inspect.isclass(t) and issubclass(t, BaseModel) else None


def prune(cls: typing.Type[BaseModel], data: dict) -> dict:
    """Keep the keys `cls` defines, recursively, so one superset payload
    validates against every release's models (2.x forbids extra fields)."""
    out = {}
    for name, field in cls.__fields__.items():
        if name not in data or data[name] is None:
            continue
        value, sub = data[name], model_of(field)
        if sub is not None and isinstance(value, list):
            value = [prune(sub, v) for v in value]
        elif sub is not None and isinstance(value, dict):
            value = prune(sub, value)
        out[name] = value
    return out


def build_event(cls: typing.Type[BaseModel], payload: dict) -> BaseModel:
    data = prune(cls, payload)
    if cls.__name__ == "EventPing" and "ping_id" not in data:
        data["ping_id"] = V.PING_ID
    return cls.parse_obj(data)


def has_field(cls: typing.Type[BaseModel], name: str) -> bool:
    return name in cls.__fields__


# ---------------------------------------------------------------- the sender


def envelope_args(event_id: str, event_type: str, event: BaseModel) -> dict:
    args = dict(webhook_id=V.WEBHOOK_ID, event_id=event_id, event_type=event_type, event=event)
    if has_field(WEBHOOKS.WebhookMessage, "instance_id"):  # from 2.6.0
        args.update(instance_id=V.INSTANCE_ID, instance_name=V.INSTANCE_NAME)
    return args


def store_and_reload(event_id: str, event_type: str, event: BaseModel) -> BaseModel:
    """The table round trip of WebhookMessageLog (ORMMixin.save / load)."""
    log = WEBHOOKS.WebhookMessageLog(**envelope_args(event_id, event_type, event))
    stored = json.loads(log.json(by_alias=True, exclude_none=True))
    columns = {k: (json.dumps(v) if not isinstance(v, (str, int)) else v) for k, v in stored.items()}
    loaded = {k: (json.loads(v) if k in ("event",) and isinstance(v, str) else v)
              for k, v in columns.items()}
    return WEBHOOKS.WebhookMessageLog.parse_obj(loaded).event


def webhook_body(event_id: str, event_type: str, event: BaseModel) -> bytes:
    message = WEBHOOKS.WebhookMessage(**envelope_args(event_id, event_type, event))
    return message.json(sort_keys=True, exclude_none=True).encode()


def event_grid_body(event_id: str, event_type: str, event: BaseModel) -> bytes:
    grid = WEBHOOKS.WebhookMessageEventGrid(
        id=event_id, data=event, dataVersion="1.0.0", subject=V.INSTANCE_NAME,
        eventType=event_type, eventTime=EVENT_GRID_TIME,
    )
    return json.dumps([json.loads(grid.json(sort_keys=True, exclude_none=True))]).encode()


def digest(body: bytes) -> str:
    return hmac.new(V.SECRET.encode("utf-8"), msg=body, digestmod=hashlib.sha512).hexdigest()


def dropped_fields(before: dict, after: dict, prefix: str = "") -> typing.List[str]:
    out = []
    for key, value in before.items():
        if key not in after:
            out.append(prefix + key)
        elif isinstance(value, dict) and isinstance(after[key], dict):
            out.extend(dropped_fields(value, after[key], prefix + key + "."))
    return out


def main(argv: typing.List[str]) -> int:
    models_only = "--models-only" in argv
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = args[0]
    sender = "python-models" if models_only else "python"
    has_grid = hasattr(WEBHOOKS, "WebhookMessageEventGrid") and not models_only
    source = (f"generated by corpus/python/generate.py with onefuzztypes=={RELEASE} "
              f"pydantic=={pydantic.VERSION}")
    payloads = event_payloads()
    entries = []
    for event_type, cls in event_classes():
        event = build_event(cls, payloads[event_type])
        event_id = V.uid(f"event:{RELEASE}:{event_type}")
        notes = []
        if models_only:
            sent = event
            notes.append("models-only: serialized with the Python models of this release; "
                         "no Python service of this release existed (the C# service sent "
                         "webhooks), so this is not a real sender's body")
        else:
            sent = store_and_reload(event_id, event_type, event)
            if type(sent) is not type(event):
                lost = dropped_fields(json.loads(event.json(exclude_none=True)),
                                      json.loads(sent.json(exclude_none=True)))
                notes.append(f"store-and-reload re-read the event as {type(sent).__name__}"
                             + (f"; lost: {', '.join(lost)}" if lost else "; no field lost"))
        bodies = [("webhook", webhook_body(event_id, event_type, sent))]
        if has_grid:
            bodies.append(("event_grid", event_grid_body(event_id, event_type, sent)))
        for fmt, body in bodies:
            rel = f"{fmt}/{event_type}.json"
            os.makedirs(os.path.join(out_dir, fmt), exist_ok=True)
            with open(os.path.join(out_dir, rel), "wb") as fh:
                fh.write(body)
            entries.append({
                "path": f"bodies/{sender}-{RELEASE}/{rel}",
                "sender": sender,
                "release": RELEASE,
                "format": fmt,
                "event_type": event_type,
                "digest": digest(body),
                "secret": V.SECRET,
                "source": source,
                "notes": "; ".join(notes),
            })
    with open(os.path.join(out_dir, "INDEX.json"), "w", encoding="utf-8") as fh:
        json.dump(entries, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
