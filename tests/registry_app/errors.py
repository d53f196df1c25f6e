from enum import StrEnum


class SampleErrorCode(StrEnum):
    SAMPLE_REFUSED = "sample.refused"
