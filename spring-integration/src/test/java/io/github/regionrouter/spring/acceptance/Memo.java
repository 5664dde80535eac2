package io.github.regionrouter.spring.acceptance;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's memo: a row of the Flyway-created {@code note} table, in the user's region. */
@Entity
@Table(name = "note")
public class Memo {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String owner;

  private String body;

  protected Memo() {
  }

  Memo(String owner, String body) {
    this.owner = owner;
    this.body = body;
  }

  Long getId() {
    return id;
  }

  String getBody() {
    return body;
  }
}
