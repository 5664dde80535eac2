/** Test application: Spring Data JPA, Hibernate 7 and Spring MVC with open-in-view over the routing data source. */
package io.github.regionrouter.jpa;
