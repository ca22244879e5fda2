from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.errors import ConfigError
from tallyflow.schemas.config import MAX_SAFE_INTEGER, load_config


def test_defaults_are_jsonschema_tools_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path, project_root=tmp_path)
    assert config.content_types == ("yaml", "json")
    assert config.current_file_name == "current.yaml"
    assert config.schema_base_uris == (str(tmp_path.resolve()),)
    assert config.enforced_numeric_bounds == (-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    assert config.should_dereference and config.should_symlink_latest
    assert not config.should_generate_example


def test_later_files_override_only_the_keys_they_set(tmp_path: Path) -> None:
    # jsonschema-tools' own readConfig test: contentTypes from the second file wins,
    # shouldDereference from the first survives.
    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    first.write_text("contentTypes: [json]\nshouldDereference: false\n")
    second.write_text("contentTypes: [yaml, json]\n")
    config = load_config(tmp_path, project_root=tmp_path, files=[first, second])
    assert config.content_types == ("yaml", "json")
    assert config.should_dereference is False
    overridden = load_config(
        tmp_path, project_root=tmp_path, files=[first], overrides={"content_types": ("yaml",)}
    )
    assert overridden.content_types == ("yaml",) and overridden.should_dereference is False


def test_project_file_then_root_file(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    root.mkdir()
    (tmp_path / ".jsonschema-tools.yaml").write_text(
        "shouldGenerateExample: true\ncontentTypes: [json]\n"
    )
    (root / ".jsonschema-tools.yaml").write_text(
        "contentTypes: [yaml]\nschemaBaseUris: [./, ../vendor]\n"
    )
    config = load_config(root, project_root=tmp_path)
    assert config.should_generate_example and config.content_types == ("yaml",)
    assert config.schema_base_uris == (str(root.resolve()), str((tmp_path / "vendor").resolve()))


def test_disabling_bounds_and_skip_list(tmp_path: Path) -> None:
    (tmp_path / ".jsonschema-tools.yaml").write_text(
        "enforcedNumericBounds: false\nskipSchemaTestCases:\n  '/legacy/.*': [schema-is-valid]\n"
    )
    config = load_config(tmp_path, project_root=tmp_path)
    assert config.enforced_numeric_bounds is None
    assert config.skips("/legacy/x/1.0.0", "schema-is-valid")
    assert not config.skips("/modern/x/1.0.0", "schema-is-valid")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("contentTypes: [yml]\n", "contentTypes must be"),
        ("skipSchemaTestCase: {}\n", "did you mean 'skipSchemaTestCases'"),
        ("shouldDereference: maybe\n", "must be true or false"),
        ("ignoreSchemas: ['(']\n", "not a valid regular expression"),
        ("schemaBasePath: ./elsewhere/\n", "is not the schema root"),
    ],
)
def test_bad_options_are_config_errors_naming_the_file(
    tmp_path: Path, text: str, words: str
) -> None:
    (tmp_path / ".jsonschema-tools.yaml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, project_root=tmp_path)
    assert words in f"{raised.value.message} {raised.value.hint}"
    assert raised.value.exit_code == 2
