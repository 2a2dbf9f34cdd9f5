@calc @team:core
Feature: Calculator
  Adds and divides numbers.

  Background:
    Given a fresh calculator

  @smoke
  Scenario: adding two numbers
    When I add 2 and 3
    Then the result is 5

  Scenario: a wrong expectation fails
    When I add 2 and 2
    Then the result is 5
    And nothing else happens

  @wip
  Scenario: dividing is not written yet
    When I divide 6 by 3
    Then the result is 2

  Scenario: a step nobody defined
    When I take the square root of 9

  Scenario Outline: adding <a> and <b>
    When I add <a> and <b>
    Then the result is <sum>

    Examples: small numbers
      | a | b | sum |
      | 1 | 1 | 2   |
      | 4 | 5 | 10  |
