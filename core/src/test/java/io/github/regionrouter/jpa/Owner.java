package io.github.regionrouter.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;

/** A pet owner, as in spring-petclinic; the pets are a lazy collection. */
@Entity
@Table(name = "owners")
public class Owner {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY) // no sequence: nothing to read from the catalog at start-up
  private Long id;

  private String name;

  @OneToMany(mappedBy = "owner")
  private List<Pet> pets = new ArrayList<>();

  protected Owner() {
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public List<Pet> getPets() {
    return pets;
  }
}
