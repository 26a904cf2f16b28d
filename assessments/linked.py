"""Target-linked items read their target and actual from the targets app."""


def linked_inputs(sheet) -> dict:
    """{item key: {"target", "actual", "sub_target", "sub_actual"}} for the sheet's
    target-linked items, from the allocations and achievements of the cycle's year."""
    return {}
