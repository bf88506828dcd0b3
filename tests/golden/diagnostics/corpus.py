#!/usr/bin/env python3
"""The diagnostics corpus: definitions that break (or bend) one rule each.

Each entry becomes <name>.asl.json here (pretty-printed by json.dumps with
indent=2, so the expected line:col stay put), plus <name>.args when aslc needs
options. Its expected output is <name>.expected, written by
../check_diagnostics.py --update and then reviewed by hand: the rule and the
document that states it are in the entry (and, for JSON objects, in the
definition's top-level "Comment").

usage: corpus.py            write the .asl.json/.args files of every entry
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FN = "arn:aws:lambda:us-east-1:123456789012:function:f"
SPEC = "States Language spec (states-language.net/spec.html)"
API = "API Reference, ValidateStateMachineDefinitionDiagnostic"

ENTRIES = []


def entry(name, rule, definition, args=None):
    ENTRIES.append({"name": name, "rule": rule, "def": definition, "args": args or []})


def sm(rule, states, start=None, **top):
    d = {"Comment": rule, "StartAt": start if start is not None else next(iter(states))}
    d["States"] = states
    d.update(top)
    return d


def one(name, rule, state, args=None, **extra):
    """A machine of one state named A (plus extra states)."""
    states = {"A": state}
    states.update(extra)
    entry(name, rule, sm(rule, states), args)


def task(**kw):
    t = {"Type": "Task", "Resource": FN}
    t.update(kw)
    if "Next" not in t and "End" not in t:
        t["End"] = True
    return t


def pas(**kw):
    t = {"Type": "Pass"}
    t.update(kw)
    if "Next" not in t and "End" not in t:
        t["End"] = True
    return t


def choice(rules, **kw):
    t = {"Type": "Choice", "Choices": rules}
    t.update(kw)
    return t


def branch(states, start=None):
    return {"StartAt": start or next(iter(states)), "States": states}


DONE = {"Type": "Succeed"}

# ------------------------------------------------------------------ JSON
entry("json_trailing_comma", "RFC 8259: no trailing comma (INVALID_JSON_DESCRIPTION)",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed"},}}\n')
entry("json_missing_colon", "RFC 8259: a member is name ':' value",
      '{"StartAt" "A", "States": {"A": {"Type": "Succeed"}}}\n')
entry("json_unterminated_string", "RFC 8259: strings end with a quote",
      '{"StartAt": "A, "States": {"A": {"Type": "Succeed"}}}\n')
entry("json_bad_escape", "RFC 8259 section 7: the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "\\q"}}}\n')
entry("json_single_quotes", "RFC 8259: strings use double quotes",
      "{'StartAt': 'A', 'States': {}}\n")
entry("json_duplicate_key", "AWS rejects duplicate keys in an object (INVALID_JSON_DESCRIPTION)",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Type": "Pass"}}}\n')
entry("json_duplicate_state", "Two states of one name are duplicate keys of States",
      '{"StartAt": "A",\n "States": {\n  "A": {"Type": "Succeed"},\n  "A": {"Type": "Succeed"}\n }\n}\n')
entry("json_invalid_utf8", "RFC 8259 section 8.1: JSON text MUST be UTF-8",
      b'{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "caf\xe9"}}}\n')
entry("json_overlong_utf8", "RFC 3629: overlong forms are not UTF-8",
      b'{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "\xc0\xaf"}}}\n')
entry("json_utf8_surrogate", "RFC 3629: surrogates (ED A0 80) are not UTF-8",
      b'{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "\xed\xa0\x80"}}}\n')
entry("json_nul_escape", "A \\u0000 escape cannot be carried by the C strings of the runtime",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "a\\u0000b"}}}\n')
entry("json_nul_byte", "A raw NUL byte is not JSON text",
      b'{"StartAt": "A",\n "States": {"A": {"Type": "Succ\x00eed"}}}\n')
entry("json_unpaired_surrogate", "RFC 8259 section 8.2: an unpaired surrogate is not a character",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "\\ud800x"}}}\n')
entry("json_raw_control", "RFC 8259 section 7: control characters must be escaped in strings",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "a\tb"}}}\n')
entry("json_trailing_garbage", "RFC 8259: one value per text",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}} x\n')
entry("json_leading_zero", "RFC 8259 section 6: no leading zeros",
      '{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 01, "End": true}}}\n')
entry("json_nan", "RFC 8259 section 6: NaN is not a number",
      '{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": NaN, "End": true}}}\n')
entry("json_comment", "RFC 8259: JSON has no comments",
      '{\n  // the start\n  "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}\n')
entry("json_unclosed", "RFC 8259: objects are closed",
      '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}\n')
entry("missing_description_empty", API + ": MISSING_DESCRIPTION, an empty workflow input", "")
entry("missing_description_blank", API + ": MISSING_DESCRIPTION, an empty workflow input",
      "  \n\t\n")
entry("missing_description_null", API + ": MISSING_DESCRIPTION, a null workflow input", "null\n")
entry("too_deeply_nested", "aslc: nesting deeper than 1000 (the runtime's cJSON limit) "
      "is TOO_DEEPLY_NESTED (" + API + ")",
      '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": '
      + "[" * 1000 + "]" * 1000 + "}}}\n")

# ------------------------------------------------------------- top level
entry("top_array", SPEC + ", Structure: a State Machine is a JSON object", "[1, 2]\n")
entry("top_string", SPEC + ", Structure: a State Machine is a JSON object", '"StartAt"\n')
entry("top_no_start_at", SPEC + ": a State Machine MUST have a \"StartAt\" field",
      {"Comment": "StartAt is required", "States": {"A": DONE}})
entry("top_no_states", SPEC + ": a State Machine MUST have a \"States\" field",
      {"Comment": "States is required", "StartAt": "A"})
entry("top_start_at_number", SPEC + ": StartAt is a string naming a state",
      {"Comment": "StartAt is a string", "StartAt": 1, "States": {"A": DONE}})
entry("top_states_empty", SPEC + ": States holds at least one state (StartAt names one)",
      {"Comment": "States must hold a state", "StartAt": "A", "States": {}})
entry("top_states_array", SPEC + ": States is an object",
      {"Comment": "States is an object", "StartAt": "A", "States": [DONE]})
entry("top_unknown_field", SPEC + ": top-level fields are StartAt, States, Comment, Version, "
      "TimeoutSeconds, QueryLanguage", sm("an unknown top-level field", {"A": DONE}, Extra=1))
entry("top_version_number", SPEC + ": Version is a string",
      sm("Version is a string", {"A": DONE}, Version=1.0))
entry("top_timeout_zero", SPEC + ": TimeoutSeconds is a positive integer",
      sm("TimeoutSeconds 0", {"A": DONE}, TimeoutSeconds=0))
entry("top_timeout_fraction", SPEC + ": TimeoutSeconds is a positive integer",
      sm("TimeoutSeconds 1.5", {"A": DONE}, TimeoutSeconds=1.5))
entry("top_timeout_string", SPEC + ": TimeoutSeconds is a positive integer",
      sm("TimeoutSeconds as text", {"A": DONE}, TimeoutSeconds="60"))
entry("top_comment_number", SPEC + ": Comment is a string",
      {"Comment": 7, "StartAt": "A", "States": {"A": DONE}})
entry("top_start_at_missing", SPEC + ": StartAt MUST exactly match one of the state names "
      "(MISSING_TRANSITION_TARGET)", sm("StartAt names no state", {"A": DONE}, start="B"))
entry("top_start_at_nested", SPEC + ", Parallel State: branches are separate machines; StartAt "
      "names a state of its own machine",
      sm("StartAt names a state of a branch", {
          "P": {"Type": "Parallel", "Branches": [branch({"Inner": DONE})], "End": True}},
         start="Inner"))

# ---------------------------------------------------------- common fields
one("state_not_object", SPEC + ": a state is a JSON object", "Pass")
one("state_no_type", SPEC + ", Common State Fields: Type is required", {"End": True})
one("state_unknown_type", SPEC + ": Type is one of the eight state types", {"Type": "Sleep", "End": True})
one("state_type_lowercase", SPEC + ": type names are case-sensitive", {"Type": "pass", "End": True})
one("state_type_number", SPEC + ": Type is a string", {"Type": 1, "End": True})
one("state_unknown_field", SPEC + ": a state has only its type's fields", pas(Bogus=True))
one("state_comment_number", SPEC + ": Comment is a string", pas(Comment=1))
one("pass_resource", SPEC + ", Pass State: no Resource", pas(Resource=FN))
one("pass_retry", "Developer Guide, Handling errors: Retry is for Task, Parallel and Map",
    pas(Retry=[{"ErrorEquals": ["States.ALL"]}]))
one("pass_catch", "Developer Guide, Handling errors: Catch is for Task, Parallel and Map",
    pas(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "B"}]), B=DONE)
one("wait_parameters", SPEC + ", Wait State: no Parameters",
    {"Type": "Wait", "Seconds": 1, "Parameters": {}, "End": True})
one("wait_result_path", SPEC + ", Wait State: no ResultPath",
    {"Type": "Wait", "Seconds": 1, "ResultPath": "$.x", "End": True})
one("succeed_next", SPEC + ", Succeed State: a terminal state has no Next",
    {"Type": "Succeed", "Next": "B"}, B=DONE)
one("succeed_end", SPEC + ", Succeed State: no End field", {"Type": "Succeed", "End": True})
one("fail_end", SPEC + ", Fail State: no End field", {"Type": "Fail", "End": True})
one("fail_input_path", SPEC + ", Fail State: only Type, Comment, Error(Path), Cause(Path)",
    {"Type": "Fail", "InputPath": "$.x"})
one("task_result", SPEC + ", Task State: Result is a Pass field", task(Result={}))
one("pass_choices", SPEC + ", Pass State: Choices is a Choice field", pas(Choices=[]))
one("task_seconds", SPEC + ", Task State: Seconds is a Wait field", task(Seconds=1))
one("map_branches", SPEC + ", Map State: Branches is a Parallel field",
    {"Type": "Map", "ItemProcessor": branch({"I": DONE}), "Branches": [], "End": True})
one("choice_result_path", SPEC + ", Choice State: no ResultPath",
    choice([{"Variable": "$.x", "IsNull": True, "Next": "B"}], Default="B", ResultPath="$.r"),
    B=DONE)
one("next_and_end", SPEC + ": a state cannot have both Next and End",
    pas(Next="B", End=True), B=DONE)
one("no_next_no_end", SPEC + ": a non-terminal state needs Next or End", {"Type": "Pass"})
one("end_false", SPEC + ": End is true", {"Type": "Pass", "End": False})
one("end_string", SPEC + ": End is a boolean true", {"Type": "Pass", "End": "true"})
one("next_number", SPEC + ": Next is a string", {"Type": "Pass", "Next": 2})
one("next_missing", SPEC + ": Next MUST exactly match a state name (MISSING_TRANSITION_TARGET)",
    pas(Next="Nowhere"))
one("next_case", SPEC + ": state names are case-sensitive", pas(Next="b"), B=DONE)
one("next_into_branch", SPEC + ", Parallel State: a transition cannot enter a branch",
    pas(Next="Inner"),
    P={"Type": "Parallel", "Branches": [branch({"Inner": DONE})], "End": True})
entry("next_out_of_branch", SPEC + ", Parallel State: states within a branch may only "
      "transition to other states in that branch",
      sm("Next from a branch to the top", {
          "P": {"Type": "Parallel", "Branches": [branch({"Inner": pas(Next="Out")})],
                "Next": "Out"},
          "Out": DONE}))
entry("next_between_branches", SPEC + ", Parallel State: no transition between branches",
      sm("Next from one branch into another", {
          "P": {"Type": "Parallel", "Branches": [branch({"L": pas(Next="R")}),
                                                 branch({"R": DONE})], "End": True}}))
entry("next_out_of_map", SPEC + ", Map State: the ItemProcessor's states transition only "
      "among themselves",
      sm("Next from an iteration to the top", {
          "M": {"Type": "Map", "ItemProcessor": branch({"I": pas(Next="Out")}), "Next": "Out"},
          "Out": DONE}))
one("input_path_bad", SPEC + ", Paths: InputPath is a JSONPath", pas(InputPath="x.y"))
one("input_path_number", SPEC + ": InputPath is a string or null", pas(InputPath=1))
one("output_path_bad", SPEC + ", Paths: OutputPath is a JSONPath", pas(OutputPath="$..["))
one("result_path_wildcard", SPEC + ", Reference Paths: ResultPath is a reference path (no *)",
    pas(ResultPath="$.a[*]"))
one("result_path_filter", SPEC + ", Reference Paths: no filter expressions",
    task(ResultPath="$.a[?(@.x)]"))
one("result_path_context", "Developer Guide, ResultPath: it names a place in the state's input",
    pas(ResultPath="$$.Execution"))
one("result_path_number", SPEC + ": ResultPath is a string or null", pas(ResultPath=5))
one("result_path_no_dollar", SPEC + ", Reference Paths: begin with $", pas(ResultPath="a.b"))

# ------------------------------------------------------------------ names
entry("state_name_81", SPEC + ", States: names are at most 80 Unicode characters "
      "(INVALID_STATE_NAME)", sm("an 81-character name", {"N" * 81: DONE}))
entry("state_name_81_multibyte", SPEC + ": 80 Unicode characters, not bytes: 81 e-acutes",
      sm("81 characters of 2 bytes", {"\u00e9" * 81: DONE}))
entry("state_name_empty", SPEC + ": a name has 1 to 80 characters", sm("an empty name", {"": DONE}))
entry("duplicate_state_branches", "AWS: state names are unique across the whole definition "
      "(DUPLICATE_STATE_NAME)",
      sm("the same name in two branches", {
          "P": {"Type": "Parallel", "Branches": [branch({"X": DONE}), branch({"X": DONE})],
                "End": True}}))
entry("duplicate_state_nested", "AWS: a nested machine cannot reuse a name of the top level "
      "(DUPLICATE_STATE_NAME)",
      sm("a Map's state named like a top-level one", {
          "M": {"Type": "Map", "ItemProcessor": branch({"M": DONE}), "End": True}}))
entry("duplicate_label", "Developer Guide, Distributed Map: Label is unique within the "
      "definition (DUPLICATE_LABEL_NAME)",
      sm("two Maps with one label", {
          "M1": {"Type": "Map", "Label": "batch", "ItemProcessor": branch({"I1": DONE}),
                 "Next": "M2"},
          "M2": {"Type": "Map", "Label": "batch", "ItemProcessor": branch({"I2": DONE}),
                 "End": True}}))
one("label_space", "Developer Guide, Distributed Map: Label has no white space "
    "(INVALID_LABEL_NAME)",
    {"Type": "Map", "Label": "my batch", "ItemProcessor": branch({"I": DONE}), "End": True})
one("label_41", "Developer Guide, Distributed Map: Label is at most 40 characters",
    {"Type": "Map", "Label": "L" * 41, "ItemProcessor": branch({"I": DONE}), "End": True})
one("label_slash", "Developer Guide, Distributed Map: Label has none of < > { } [ ] ? * \" # % "
    "\\ ^ | ~ ` $ & , ; : /",
    {"Type": "Map", "Label": "a/b", "ItemProcessor": branch({"I": DONE}), "End": True})
for nm, arg, why in [("machine_name_space", "my machine", "white space"),
                     ("machine_name_slash", "a/b", "/"),
                     ("machine_name_empty", "", "empty (STATE_MACHINE_NAME_EMPTY)"),
                     ("machine_name_81", "m" * 81, "81 characters (STATE_MACHINE_NAME_TOO_LONG)"),
                     ("machine_name_control", "a\x01b", "a control character")]:
    one(nm, "API Reference, CreateStateMachine name: 1 to 80 characters, no white space or "
        "special characters; here " + why, DONE, args=["--name", arg])

# ------------------------------------------------------------------- Task
one("task_no_resource", SPEC + ", Task State: Resource is required", {"Type": "Task", "End": True})
one("task_resource_number", SPEC + ": Resource is a string", task(Resource=5))
for nm, res, why in [
        ("resource_not_arn", "my-function", "not an ARN"),
        ("resource_short_arn", "arn:aws:lambda:us-east-1", "too few ARN fields"),
        ("resource_service_sqs", "arn:aws:sqs:us-east-1:123456789012:queue", "a queue is no Task resource"),
        ("resource_partition", "arn:amazon:lambda:us-east-1:123456789012:function:f", "partition"),
        ("resource_account_short", "arn:aws:lambda:us-east-1:1234:function:f", "account is 12 digits"),
        ("resource_lambda_layer", "arn:aws:lambda:us-east-1:123456789012:layer:l", "a layer is no function"),
        ("resource_lambda_no_region", "arn:aws:lambda::123456789012:function:f", "region is required"),
        ("resource_states_located", "arn:aws:states:us-east-1:123456789012:lambda:invoke",
         "an integration has empty region and account (:::)"),
        ("resource_states_no_api", "arn:aws:states:::lambda", "SERVICE:API"),
        ("resource_activity_no_account", "arn:aws:states:us-east-1::activity:a", "an activity has an account"),
        ("resource_sdk_sync", "arn:aws:states:::aws-sdk:s3:getObject.sync",
         "AWS SDK integrations do not support .sync"),
        ("resource_empty", "", "empty")]:
    one(nm, "Developer Guide, Discover service integration patterns: a Resource is an ARN of "
        "the states namespace, an activity or a Lambda function; here: " + why,
        task(Resource=res))
for nm, res, pat in [("express_sync", "arn:aws:states:::ecs:runTask.sync", ".sync"),
                     ("express_sync2", "arn:aws:states:::states:startExecution.sync:2", ".sync:2"),
                     ("express_callback", "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                      ".waitForTaskToken"),
                     ("express_activity", "arn:aws:states:us-east-1:123456789012:activity:work",
                      "an activity")]:
    one(nm, "Developer Guide, Integrating optimized services: Express Workflows only support "
        "Request Response integrations, and no activities; here " + pat,
        task(Resource=res), args=["--type", "express"])
one("task_timeout_zero", SPEC + ", Task State: TimeoutSeconds is a positive integer",
    task(TimeoutSeconds=0))
one("task_timeout_fraction", SPEC + ": TimeoutSeconds is an integer", task(TimeoutSeconds=2.5))
one("task_timeout_huge", "API: TimeoutSeconds is at most 99999999", task(TimeoutSeconds=100000000))
one("task_timeout_string", SPEC + ": TimeoutSeconds is a number", task(TimeoutSeconds="10"))
one("task_heartbeat_ge_timeout", SPEC + ", Task State: HeartbeatSeconds is smaller than "
    "TimeoutSeconds", task(TimeoutSeconds=10, HeartbeatSeconds=10))
one("task_heartbeat_negative", SPEC + ": HeartbeatSeconds is a positive integer",
    task(HeartbeatSeconds=-1))
one("task_timeout_and_path", SPEC + ", Task State: TimeoutSeconds and TimeoutSecondsPath are "
    "exclusive", task(TimeoutSeconds=5, TimeoutSecondsPath="$.t"))
one("task_heartbeat_and_path", SPEC + ": HeartbeatSeconds and HeartbeatSecondsPath are exclusive",
    task(HeartbeatSeconds=5, HeartbeatSecondsPath="$.h"))
one("task_timeout_path_wildcard", SPEC + ": TimeoutSecondsPath is a reference path",
    task(TimeoutSecondsPath="$.t[*]"))
one("task_heartbeat_path_number", SPEC + ": HeartbeatSecondsPath is a string",
    task(HeartbeatSecondsPath=3))
one("task_result_selector_array", SPEC + ", ResultSelector: a JSON object", task(ResultSelector=[1]))
one("task_result_selector_bad_path", SPEC + ": a .$ value is a valid path",
    task(ResultSelector={"x.$": "$.a["}))
one("parameters_bad_path", SPEC + ", Payload Template: a .$ value is a valid path",
    task(Parameters={"x.$": "$.a..["}))
one("parameters_not_path", SPEC + ", Payload Template: a .$ value is a path or an intrinsic",
    task(Parameters={"x.$": "a.b"}))
one("parameters_dollar_number", SPEC + ": a .$ value is a string", task(Parameters={"x.$": 1}))
one("parameters_nested_bad_path", SPEC + ": nested .$ values are paths too",
    task(Parameters={"outer": {"list": [{"y.$": "$$$"}]}}))
one("intrinsic_unknown", "Developer Guide, Intrinsic functions: the 18 known functions",
    task(Parameters={"x.$": "States.Frobnicate($.a)"}))
one("intrinsic_arity", "Developer Guide, Intrinsic functions: States.ArrayLength takes one argument",
    task(Parameters={"x.$": "States.ArrayLength($.a, $.b)"}))
one("intrinsic_syntax", "Developer Guide, Intrinsic functions: arguments are separated by commas",
    task(Parameters={"x.$": "States.Format('{}' $.a)"}))

# ------------------------------------------------------------------ Retry
def retry(rows, **kw):
    return task(Retry=rows, **kw)


one("retry_not_array", SPEC + ", Retrying after error: Retry is an array", task(Retry={}))
one("retry_row_string", SPEC + ": a Retrier is an object", retry(["States.ALL"]))
one("retry_no_error_equals", SPEC + ": a Retrier MUST contain ErrorEquals", retry([{}]))
one("retry_error_equals_empty", SPEC + ": ErrorEquals is a non-empty array", retry([{"ErrorEquals": []}]))
one("retry_error_equals_string", SPEC + ": ErrorEquals is an array", retry([{"ErrorEquals": "E"}]))
one("retry_error_name_number", SPEC + ": error names are strings", retry([{"ErrorEquals": [1]}]))
one("retry_all_not_alone", SPEC + ": States.ALL MUST appear alone in ErrorEquals",
    retry([{"ErrorEquals": ["States.ALL", "E"]}]))
one("retry_all_not_last", SPEC + ": States.ALL MUST appear in the last Retrier",
    retry([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]))
one("retry_interval_zero", SPEC + ": IntervalSeconds is a positive integer",
    retry([{"ErrorEquals": ["E"], "IntervalSeconds": 0}]))
one("retry_interval_fraction", SPEC + ": IntervalSeconds is an integer",
    retry([{"ErrorEquals": ["E"], "IntervalSeconds": 1.5}]))
one("retry_max_attempts_negative", SPEC + ": MaxAttempts is a non-negative integer",
    retry([{"ErrorEquals": ["E"], "MaxAttempts": -1}]))
one("retry_max_attempts_fraction", SPEC + ": MaxAttempts is an integer",
    retry([{"ErrorEquals": ["E"], "MaxAttempts": 2.5}]))
one("retry_backoff_below_one", SPEC + ": BackoffRate is at least 1.0",
    retry([{"ErrorEquals": ["E"], "BackoffRate": 0.5}]))
one("retry_backoff_string", SPEC + ": BackoffRate is a number",
    retry([{"ErrorEquals": ["E"], "BackoffRate": "2"}]))
one("retry_max_delay_zero", "Developer Guide, Retry: MaxDelaySeconds is a positive integer",
    retry([{"ErrorEquals": ["E"], "MaxDelaySeconds": 0}]))
one("retry_max_delay_huge", "Developer Guide, Retry: MaxDelaySeconds is below 31622401",
    retry([{"ErrorEquals": ["E"], "MaxDelaySeconds": 31622401}]))
one("retry_jitter_bad", "Developer Guide, Retry: JitterStrategy is FULL or NONE",
    retry([{"ErrorEquals": ["E"], "JitterStrategy": "HALF"}]))
one("retry_unknown_field", SPEC + ": a Retrier has only its fields",
    retry([{"ErrorEquals": ["E"], "Delay": 3}]))

# ------------------------------------------------------------------ Catch
def catch(rows, **kw):
    return task(Catch=rows, **kw)


one("catch_not_array", SPEC + ", Fallback states: Catch is an array", task(Catch={}))
one("catch_row_string", SPEC + ": a Catcher is an object", catch(["States.ALL"]))
one("catch_no_next", SPEC + ": a Catcher MUST contain Next", catch([{"ErrorEquals": ["States.ALL"]}]))
one("catch_next_missing", SPEC + ": a Catcher's Next names a state (MISSING_TRANSITION_TARGET)",
    catch([{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]))
one("catch_next_number", SPEC + ": Next is a string", catch([{"ErrorEquals": ["States.ALL"], "Next": 1}]))
one("catch_no_error_equals", SPEC + ": a Catcher MUST contain ErrorEquals",
    catch([{"Next": "B"}]), B=DONE)
one("catch_all_not_last", SPEC + ": States.ALL MUST appear in the last Catcher",
    catch([{"ErrorEquals": ["States.ALL"], "Next": "B"}, {"ErrorEquals": ["E"], "Next": "B"}]),
    B=DONE)
one("catch_all_not_alone", SPEC + ": States.ALL MUST appear alone",
    catch([{"ErrorEquals": ["E", "States.ALL"], "Next": "B"}]), B=DONE)
one("catch_result_path_bad", SPEC + ": a Catcher's ResultPath is a reference path",
    catch([{"ErrorEquals": ["E"], "Next": "B", "ResultPath": "$.a[0:2]"}]), B=DONE)
one("catch_result_path_number", SPEC + ": ResultPath is a string or null",
    catch([{"ErrorEquals": ["E"], "Next": "B", "ResultPath": 0}]), B=DONE)
one("catch_unknown_field", SPEC + ": a Catcher has only its fields",
    catch([{"ErrorEquals": ["E"], "Next": "B", "Retry": 1}]), B=DONE)
one("catch_next_into_branch", SPEC + ": a Catcher's Next stays in its machine",
    catch([{"ErrorEquals": ["E"], "Next": "Inner"}]),
    P={"Type": "Parallel", "Branches": [branch({"Inner": DONE})], "End": True})

# ----------------------------------------------------------------- Choice
R = {"Variable": "$.x", "NumericEquals": 1, "Next": "B"}


def ch(name, rule, rules, **kw):
    one(name, rule, choice(rules, **kw), B=DONE)


one("choice_no_choices", SPEC + ", Choice State: Choices is required", {"Type": "Choice", "Default": "B"},
    B=DONE)
ch("choice_empty", SPEC + ": Choices is a non-empty array", [])
ch("choice_object", SPEC + ": Choices is an array", {"Variable": "$.x"})
ch("choice_rule_string", SPEC + ": a Choice Rule is an object", ["$.x"])
ch("choice_no_operator", SPEC + ", Choice Rules: a rule has one comparison or And/Or/Not",
   [{"Variable": "$.x", "Next": "B"}])
ch("choice_two_operators", SPEC + ": exactly one comparison operator",
   [{"Variable": "$.x", "NumericEquals": 1, "NumericLessThan": 2, "Next": "B"}])
ch("choice_no_variable", SPEC + ": a data-test expression has a Variable",
   [{"NumericEquals": 1, "Next": "B"}])
ch("choice_variable_with_and", SPEC + ": Variable belongs to data-test expressions only",
   [{"Variable": "$.x", "And": [{"Variable": "$.x", "IsNull": True}], "Next": "B"}])
ch("choice_variable_number", SPEC + ": Variable is a path string",
   [{"Variable": 1, "IsNull": True, "Next": "B"}])
ch("choice_variable_bad", SPEC + ": Variable is a JSONPath", [{"Variable": "x", "IsNull": True, "Next": "B"}])
ch("choice_numeric_string", SPEC + ": NumericEquals takes a number",
   [{"Variable": "$.x", "NumericEquals": "1", "Next": "B"}])
ch("choice_string_number", SPEC + ": StringEquals takes a string",
   [{"Variable": "$.x", "StringEquals": 1, "Next": "B"}])
ch("choice_boolean_string", SPEC + ": BooleanEquals takes a boolean",
   [{"Variable": "$.x", "BooleanEquals": "true", "Next": "B"}])
ch("choice_is_null_string", SPEC + ": IsNull takes a boolean",
   [{"Variable": "$.x", "IsNull": "yes", "Next": "B"}])
ch("choice_timestamp_bad", SPEC + ": timestamps are RFC 3339",
   [{"Variable": "$.t", "TimestampEquals": "2024-13-01", "Next": "B"}])
ch("choice_path_not_reference", SPEC + ": ...Path operands are reference paths",
   [{"Variable": "$.x", "NumericEqualsPath": "$.a[*]", "Next": "B"}])
ch("choice_path_number", SPEC + ": ...Path operands are strings",
   [{"Variable": "$.x", "StringEqualsPath": 3, "Next": "B"}])
ch("choice_matches_number", SPEC + ": StringMatches takes a string",
   [{"Variable": "$.x", "StringMatches": 3, "Next": "B"}])
ch("choice_and_empty", SPEC + ": And is a non-empty array of rules", [{"And": [], "Next": "B"}])
ch("choice_and_object", SPEC + ": And is an array", [{"And": {"Variable": "$.x", "IsNull": True}, "Next": "B"}])
ch("choice_not_array", SPEC + ": Not is a single rule", [{"Not": [{"Variable": "$.x", "IsNull": True}], "Next": "B"}])
ch("choice_nested_next", SPEC + ": Next only in top-level rules",
   [{"Not": {"Variable": "$.x", "IsNull": True, "Next": "B"}, "Next": "B"}])
ch("choice_no_next", SPEC + ": a top-level rule MUST have Next", [{"Variable": "$.x", "IsNull": True}])
ch("choice_next_missing", SPEC + ": Next names a state (MISSING_TRANSITION_TARGET)",
   [{"Variable": "$.x", "IsNull": True, "Next": "C"}])
ch("choice_unknown_field", SPEC + ": a rule has only its fields",
   [{"Variable": "$.x", "IsNull": True, "Next": "B", "Else": "B"}])
ch("choice_default_missing", SPEC + ": Default names a state (MISSING_TRANSITION_TARGET)", [R],
   Default="C")
ch("choice_default_number", SPEC + ": Default is a string", [R], Default=1)
ch("choice_end", SPEC + ", Choice State: no End field", [R], End=True)
ch("choice_next", SPEC + ", Choice State: no Next field", [R], Next="B")
ch("choice_deep_operator_bad", SPEC + ": nested rules are checked too",
   [{"Or": [{"And": [{"Not": {"Variable": "$.x", "NumericGreaterThan": "5"}}]}], "Next": "B"}])
ch("choice_assign_nested", "Developer Guide, variables: Assign only in top-level Choice rules",
   [{"And": [{"Variable": "$.x", "IsNull": True, "Assign": {"v": 1}}], "Next": "B"}])

# ------------------------------------------------------------------- Wait
one("wait_none", SPEC + ", Wait State: exactly one of Seconds, Timestamp, SecondsPath, "
    "TimestampPath", {"Type": "Wait", "End": True})
one("wait_two", SPEC + ": exactly one duration field", {"Type": "Wait", "Seconds": 1, "Timestamp":
                                                      "2026-01-01T00:00:00Z", "End": True})
one("wait_seconds_negative", SPEC + ": Seconds is a non-negative integer",
    {"Type": "Wait", "Seconds": -1, "End": True})
one("wait_seconds_fraction", SPEC + ": Seconds is an integer", {"Type": "Wait", "Seconds": 0.5, "End": True})
one("wait_seconds_string", SPEC + ": Seconds is a number", {"Type": "Wait", "Seconds": "5", "End": True})
one("wait_timestamp_bad", SPEC + ": Timestamp is RFC 3339", {"Type": "Wait", "Timestamp": "tomorrow",
                                                              "End": True})
one("wait_timestamp_no_zone", SPEC + ": an RFC 3339 timestamp has a time zone",
    {"Type": "Wait", "Timestamp": "2026-01-01T00:00:00", "End": True})
one("wait_timestamp_number", SPEC + ": Timestamp is a string", {"Type": "Wait", "Timestamp": 1, "End": True})
one("wait_seconds_path_bad", SPEC + ": SecondsPath is a reference path",
    {"Type": "Wait", "SecondsPath": "$..s", "End": True})
one("wait_timestamp_path_number", SPEC + ": TimestampPath is a string",
    {"Type": "Wait", "TimestampPath": 5, "End": True})

# ------------------------------------------------------------------- Fail
one("fail_error_and_path", "Developer Guide, Fail state: Error or ErrorPath, not both",
    {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})
one("fail_cause_and_path", "Developer Guide, Fail state: Cause or CausePath, not both",
    {"Type": "Fail", "Cause": "C", "CausePath": "$.c"})
one("fail_error_number", SPEC + ", Fail State: Error is a string", {"Type": "Fail", "Error": 404})
one("fail_error_path_bad", "Developer Guide, Fail state: ErrorPath is a path",
    {"Type": "Fail", "ErrorPath": "$.e["})
one("fail_next", SPEC + ", Fail State: no Next", {"Type": "Fail", "Next": "B"}, B=DONE)

# --------------------------------------------------------------- Parallel
def par(branches, **kw):
    p = {"Type": "Parallel", "Branches": branches}
    p.update(kw)
    if "Next" not in p and "End" not in p:
        p["End"] = True
    return p


one("parallel_no_branches", SPEC + ", Parallel State: Branches is required", {"Type": "Parallel", "End": True})
one("parallel_branches_empty", SPEC + ": Branches holds at least one machine", par([]))
one("parallel_branches_object", SPEC + ": Branches is an array", par({"StartAt": "X"}))
one("parallel_branch_string", SPEC + ": a branch is a state machine object", par(["X"]))
one("parallel_branch_no_start", SPEC + ": a branch MUST have StartAt", par([{"States": {"X": DONE}}]))
one("parallel_branch_no_states", SPEC + ": a branch MUST have States", par([{"StartAt": "X"}]))
one("parallel_branch_unknown_field", SPEC + ": a branch has StartAt, States, Comment only",
    par([{"StartAt": "X", "States": {"X": DONE}, "TimeoutSeconds": 5}]))
one("parallel_branch_start_missing", SPEC + ": a branch's StartAt names one of its states",
    par([branch({"X": DONE}, start="Y")]))
one("parallel_branch_no_terminal", API + ": MISSING_END_STATE in a branch",
    par([branch({"X": pas(Next="Y"), "Y": pas(Next="X")})]))
one("parallel_branch_unreachable", "AWS rejects unreachable states, in branches too",
    par([branch({"X": DONE, "Lost": DONE})]))
one("parallel_result_selector_string", SPEC + ": ResultSelector is an object",
    par([branch({"X": DONE})], ResultSelector="$"))
one("parallel_retry_bad", SPEC + ": Parallel retriers follow the Retrier rules",
    par([branch({"X": DONE})], Retry=[{"ErrorEquals": ["States.ALL"], "BackoffRate": 0}]))

# -------------------------------------------------------------------- Map
def mp(**kw):
    m = {"Type": "Map", "ItemProcessor": branch({"I": DONE})}
    m.update(kw)
    if "Next" not in m and "End" not in m:
        m["End"] = True
    return m


one("map_no_processor", SPEC + ", Map State: ItemProcessor (or Iterator) is required",
    {"Type": "Map", "End": True})
one("map_processor_and_iterator", "Developer Guide, Map state: ItemProcessor replaces Iterator; "
    "not both", mp(Iterator=branch({"J": DONE})))
one("map_selector_and_parameters", "Developer Guide, ItemSelector replaces Parameters; not both",
    mp(ItemSelector={}, Parameters={}))
one("map_items_path_bad", SPEC + ": ItemsPath is a reference path", mp(ItemsPath="$.items[*]"))
one("map_items_path_number", SPEC + ": ItemsPath is a string", mp(ItemsPath=1))
one("map_concurrency_negative", SPEC + ": MaxConcurrency is a non-negative integer",
    mp(MaxConcurrency=-1))
one("map_concurrency_fraction", SPEC + ": MaxConcurrency is an integer", mp(MaxConcurrency=1.5))
one("map_concurrency_and_path", "Developer Guide, Map state: MaxConcurrency or MaxConcurrencyPath",
    mp(MaxConcurrency=2, MaxConcurrencyPath="$.c"))
one("map_tolerated_percentage_101", "Developer Guide, Distributed Map: ToleratedFailurePercentage "
    "is 0 to 100", mp(ToleratedFailurePercentage=101))
one("map_selector_string", "Developer Guide, ItemSelector is an object", mp(ItemSelector="$"))
one("map_processor_mode_bad", "Developer Guide, ItemProcessor: ProcessorConfig Mode is INLINE or "
    "DISTRIBUTED", mp(ItemProcessor={"ProcessorConfig": {"Mode": "LOCAL"}, "StartAt": "I",
                                     "States": {"I": DONE}}))
one("map_processor_unknown_field", SPEC + ": an ItemProcessor is a state machine",
    mp(ItemProcessor={"StartAt": "I", "States": {"I": DONE}, "Version": "1.0"}))
one("map_processor_no_terminal", API + ": MISSING_END_STATE in an ItemProcessor",
    mp(ItemProcessor=branch({"I": pas(Next="I")})))
one("map_iterator_bad_state", SPEC + ": the legacy Iterator's states are checked like any",
    {"Type": "Map", "Iterator": branch({"J": {"Type": "Wait", "End": True}}), "End": True})

# ------------------------------------------------------------------ graph
entry("unreachable_state", "AWS rejects states that StartAt cannot reach",
      sm("a state nothing leads to", {"A": DONE, "Lost": DONE}))
entry("unreachable_cycle", "AWS rejects unreachable states, a cycle among them too",
      sm("an unreachable loop", {"A": DONE, "L1": pas(Next="L2"), "L2": pas(Next="L1")}))
entry("no_terminal_cycle", API + ": MISSING_END_STATE, no terminal state",
      sm("a loop and nothing else", {"A": {"Type": "Wait", "Seconds": 1, "Next": "B"},
                                     "B": {"Type": "Wait", "Seconds": 1, "Next": "A"}}))
entry("no_terminal_reachable", API + ": MISSING_END_STATE when only unreachable states end",
      sm("the end is unreachable", {"A": {"Type": "Wait", "Seconds": 1, "Next": "A"},
                                    "Z": DONE}))

# -------------------------------------------------------------- variables
one("assign_not_object", "Developer Guide, Passing data with variables: Assign is an object",
    pas(Assign=[1]))
one("assign_bad_name", "Developer Guide, variables: names start with a letter or _",
    pas(Assign={"1st": 1}))
one("assign_reserved_name", "Developer Guide, variables: \"states\" is reserved",
    pas(Assign={"states": 1}))
one("assign_name_81", "Developer Guide, variables: names are at most 80 characters",
    pas(Assign={"v" * 81: 1}))
entry("variable_never_assigned", "Developer Guide, variables: a variable is read after it is set",
      sm("reads $nope", {"A": pas(Parameters={"x.$": "$nope"})}))
entry("variable_assigned_later", "Developer Guide, variables: assigned only after the read",
      sm("reads $v before B sets it", {"A": pas(Parameters={"x.$": "$v"}, Next="B"),
                                       "B": pas(Assign={"v": 1})}))
entry("variable_shadowed", "Developer Guide, variables: a Map iteration cannot assign an outer "
      "variable", sm("an iteration assigns $v", {
          "A": pas(Assign={"v": 1}, Next="M"),
          "M": mp(ItemProcessor=branch({"I": pas(Assign={"v": 2})}))}))

# ------------------------------------------------- warnings (AWS's three)
one("warn_no_dollar", API + ": NO_DOLLAR, a path value under a key without .$",
    task(Parameters={"id": "$.order.id"}))
one("warn_no_dollar_nested", API + ": NO_DOLLAR in a nested object",
    task(Parameters={"a": {"b": ["$$.Execution.Id"]}}))
one("warn_no_dollar_intrinsic", API + ": NO_DOLLAR for an intrinsic call",
    pas(Parameters={"u": "States.UUID()"}))
one("warn_no_dollar_result_selector", API + ": NO_DOLLAR in ResultSelector",
    task(ResultSelector={"p": "$.Payload"}))
one("warn_no_path_error", API + ": NO_PATH, Fail Error given a path",
    {"Type": "Fail", "Error": "$.error"})
one("warn_no_path_cause", API + ": NO_PATH, Fail Cause given an intrinsic",
    {"Type": "Fail", "Cause": "States.Format('{}', $.c)"})
ch("warn_no_path_string_equals", API + ": NO_PATH, StringEquals given a path",
   [{"Variable": "$.x", "StringEquals": "$.y", "Next": "B"}], Default="B")
one("warn_no_dollar_catch_assign", API + ": NO_DOLLAR in a catcher's Assign",
    catch([{"ErrorEquals": ["States.ALL"], "Next": "B", "Assign": {"err": "$.Error"}}]), B=DONE)
entry("state_name_80_ok", SPEC + ": exactly 80 characters (of 2 bytes each) is a valid name "
      "(no diagnostic)", sm("an 80-character name", {"\u00e9" * 80: DONE}))
one("express_map_children_sync", "Developer Guide, Distributed Map: ExecutionType EXPRESS runs "
    "the children as Express workflows, which do not support .sync",
    {"Type": "Map", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "I", "States": {"I": task(Resource="arn:aws:states:::ecs:runTask.sync")}},
     "End": True})
one("warn_pass_result_key", API + ": PASS_RESULT_IS_STATIC, a .$ key in Result",
    pas(Result={"id.$": "$.id"}))
one("warn_pass_result_path", API + ": PASS_RESULT_IS_STATIC, a Result that is a path",
    pas(Result="$.input"))
one("warn_werror", "-Werror makes a warning fail the run",
    task(Parameters={"id": "$.id"}), args=["-Werror"])
one("format_json", API + ": --format json prints the response shape",
    pas(Next="Gone", Result={"k.$": "$.k"}), args=["--format", "json"])
one("format_json_ok", API + ": result OK with warnings only",
    pas(Result={"k.$": "$.k"}), args=["--format", "json"])

# -------------------------------------------------- warnings beyond AWS
entry("lint_cannot_terminate", "aslc: a state from which no terminal state can be reached",
      sm("B loops forever", {"A": choice([{"Variable": "$.x", "IsNull": True, "Next": "B"}],
                                          Default="Z"),
                             "B": {"Type": "Wait", "Seconds": 5, "Next": "B"}, "Z": DONE}))
entry("lint_busy_loop", "aslc: a loop of Pass and Choice states only spins",
      sm("polls without waiting", {
          "Check": choice([{"Variable": "$.done", "BooleanEquals": True, "Next": "Z"}],
                          Default="Again"),
          "Again": pas(Next="Check"), "Z": DONE}))
entry("lint_busy_self_loop", "aslc: a Choice that can go to itself spins",
      sm("a Choice to itself", {"C": choice([{"Variable": "$.x", "IsNull": True, "Next": "C"}],
                                            Default="Z"), "Z": DONE}))
entry("lint_wait_loop_ok", "aslc: a loop through a Wait is no busy loop (no diagnostic)",
      sm("polls with a wait", {
          "Check": choice([{"Variable": "$.done", "BooleanEquals": True, "Next": "Z"}],
                          Default="Sleep"),
          "Sleep": {"Type": "Wait", "Seconds": 10, "Next": "Check"}, "Z": DONE}))
one("lint_catch_same_error", "aslc: a catcher for an error an earlier catcher matches never fires",
    catch([{"ErrorEquals": ["E"], "Next": "B"}, {"ErrorEquals": ["E", "F"], "Next": "B"}]), B=DONE)
one("lint_catch_behind_all", "aslc: nothing after a States.ALL catcher fires (and States.ALL "
    "must be last)", catch([{"ErrorEquals": ["States.ALL"], "Next": "B"},
                            {"ErrorEquals": ["E"], "Next": "B"}]), B=DONE)
one("lint_catch_runtime", "Developer Guide, Handling errors: States.Runtime is never caught",
    catch([{"ErrorEquals": ["States.Runtime"], "Next": "B"}]), B=DONE)
one("lint_retry_runtime", "Developer Guide, Handling errors: States.Runtime is never retried",
    retry([{"ErrorEquals": ["States.Runtime"]}]))
one("lint_retry_same_error", "aslc: a retrier for an error an earlier retrier matches never fires",
    retry([{"ErrorEquals": ["E"]}, {"ErrorEquals": ["E"], "MaxAttempts": 9}]))


def write():
    for e in ENTRIES:
        d = e["def"]
        if isinstance(d, bytes):
            data = d
        elif isinstance(d, str):
            data = d.encode()
        else:
            data = (json.dumps(d, indent=2, ensure_ascii=False) + "\n").encode()
        with open(os.path.join(HERE, e["name"] + ".asl.json"), "wb") as f:
            f.write(data)
        args = os.path.join(HERE, e["name"] + ".args")
        if e["args"]:
            with open(args, "w") as f:
                f.write("".join(a + "\n" for a in e["args"]))
        elif os.path.exists(args):
            os.remove(args)
    names = [e["name"] for e in ENTRIES]
    assert len(names) == len(set(names)), "duplicate entry names"
    print("%d entries written" % len(ENTRIES))


if __name__ == "__main__":
    write()
