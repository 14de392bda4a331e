from partnerkit.errors import InputFileError, PartnerkitError, RecordValidationError


def test_a_message_names_where_the_value_and_the_fix():
    err = PartnerkitError("is not a number", value="abc", where="column 'Possible'",
                          fix="type a whole number")
    assert str(err) == "column 'Possible' 'abc': is not a number; type a whole number"
    assert err.value == "abc"


def test_a_value_already_quoted_in_the_message_is_not_repeated():
    err = PartnerkitError("'abc' is not a number", value="abc", where="step")
    assert str(err) == "step: 'abc' is not a number"


def test_input_file_errors_name_file_row_and_column():
    err = InputFileError("is not a number", file="attendance.csv", row=4, column="Possible",
                         value="abc", fix="type a whole number")
    assert str(err) == ("attendance.csv, row 4, column 'Possible' 'abc': is not a number; "
                        "type a whole number")
    assert (err.file, err.row, err.column) == ("attendance.csv", 4, "Possible")


def test_every_partnerkit_error_is_one_base_error():
    assert issubclass(InputFileError, PartnerkitError)
    assert issubclass(RecordValidationError, PartnerkitError)
    assert RecordValidationError("bad", field_errors={"a": "b"}).field_errors == {"a": "b"}
