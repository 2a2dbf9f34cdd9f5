Feature: Reports
  Rule: reports carry attachments

    Scenario: a report with a table and a doc string
      Given these rows:
        | name  | value |
        | alpha | 1     |
        | beta  | 2     |
      And this note:
        """
        plain text
        on two lines
        """
      Then a log and a screenshot are attached

    @flaky
    Scenario: a flaky check passes on retry
      Then it passes on the second attempt

    @skip-me
    Scenario: a skipped scenario
      Given a step that skips
      Then the result is 0
