package io.github.regionrouter.spring.notes;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** A user's note: one row in the user's region. */
@Entity
public class Note {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String owner;

  private String body;

  protected Note() {
  }

  public Note(String owner, String body) {
    this.owner = owner;
    this.body = body;
  }

  public Long getId() {
    return id;
  }

  public String getOwner() {
    return owner;
  }

  public String getBody() {
    return body;
  }
}
